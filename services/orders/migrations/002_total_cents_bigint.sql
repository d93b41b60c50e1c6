-- Money is bigint end to end (payments.amount_cents already is): 50 lines of 100 units at the highest
-- price (R$ 1 000 000,00) is 5 × 10¹¹ cents, past integer's 2³¹ − 1, which once answered a 500.
ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;
