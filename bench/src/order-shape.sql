-- One order's writes, as the saga makes them, for pgbench (-f): the physical limit the order pipeline is
-- compared with. Seven transactions, as in the services: orders accepts (order + line + outbox), catalog
-- reserves (stock, reservation, inbox, outbox), payments charges (payment, inbox, outbox), orders
-- confirms (status, inbox, outbox), catalog commits the reservation, notifications records one, and the
-- relays mark four outbox rows published. Tables live in schema bench (created and dropped by the harness).
\set product random(1, 100)
\set order_id random(1, 1000000000)
BEGIN;
INSERT INTO bench.orders (id, status, total_cents) VALUES (:order_id, 'PENDING', 500) ON CONFLICT DO NOTHING;
INSERT INTO bench.order_items (order_id, product_id, quantity, unit_price_cents) VALUES (:order_id, :product, 1, 500);
INSERT INTO bench.outbox (routing_key, payload) VALUES ('order.created', '{"orderId": 1, "items": [{"productId": 1, "quantity": 1}]}');
COMMIT;
BEGIN;
INSERT INTO bench.inbox (message_id) VALUES (gen_random_uuid());
UPDATE bench.products SET stock = stock - 1 WHERE id = :product;
INSERT INTO bench.reservations (order_id, product_id, quantity, status) VALUES (:order_id, :product, 1, 'RESERVED');
INSERT INTO bench.outbox (routing_key, payload) VALUES ('stock.reserved', '{"orderId": 1}');
COMMIT;
BEGIN;
INSERT INTO bench.inbox (message_id) VALUES (gen_random_uuid());
INSERT INTO bench.payments (order_id, status, amount_cents) VALUES (:order_id, 'SUCCEEDED', 500);
INSERT INTO bench.outbox (routing_key, payload) VALUES ('payment.succeeded', '{"orderId": 1}');
COMMIT;
BEGIN;
INSERT INTO bench.inbox (message_id) VALUES (gen_random_uuid());
UPDATE bench.orders SET status = 'CONFIRMED', updated_at = now() WHERE id = :order_id;
INSERT INTO bench.outbox (routing_key, payload) VALUES ('order.confirmed', '{"orderId": 1}');
COMMIT;
BEGIN;
INSERT INTO bench.inbox (message_id) VALUES (gen_random_uuid());
UPDATE bench.reservations SET status = 'COMMITTED' WHERE order_id = :order_id;
COMMIT;
BEGIN;
INSERT INTO bench.inbox (message_id) VALUES (gen_random_uuid());
INSERT INTO bench.notifications (order_id, kind) VALUES (:order_id, 'CONFIRMED');
COMMIT;
UPDATE bench.outbox SET published_at = now() WHERE id IN (SELECT id FROM bench.outbox WHERE published_at IS NULL ORDER BY id LIMIT 4);
