-- The shop's starting catalogue: a confectionery's categories and products, prices in BRL cents.
-- Each product's seeded stock is recorded as its INITIAL stock movement, so the stock audit holds
-- from the first order on. Runs once (schema_migrations), like every migration.

INSERT INTO categories (slug, name) VALUES
  ('bolos', 'Bolos'),
  ('tortas', 'Tortas'),
  ('docinhos', 'Docinhos'),
  ('biscoitos', 'Biscoitos'),
  ('chocolates', 'Chocolates'),
  ('paes', 'Pães'),
  ('salgados', 'Salgados');

INSERT INTO products (name, description, price_cents, category_id, stock)
SELECT seed.name, seed.description, seed.price_cents, categories.id, seed.stock
  FROM (VALUES
    ('Bolo de cenoura com cobertura de chocolate', 'Massa fofinha de cenoura com calda de chocolate meio amargo; serve 10 pessoas.', 6490, 'bolos', 120),
    ('Bolo de fubá cremoso', 'Receita de fazenda, com camada cremosa de queijo e erva-doce.', 4290, 'bolos', 150),
    ('Bolo red velvet', 'Massa aveludada de cacau com recheio e cobertura de cream cheese.', 11990, 'bolos', 60),
    ('Bolo de milho verde', 'Feito com milho fresco e leite de coco, sem farinha de trigo.', 4590, 'bolos', 140),
    ('Bolo prestígio', 'Chocolate com recheio de coco cremoso e cobertura de ganache.', 8990, 'bolos', 80),
    ('Bolo de laranja', 'Massa úmida com suco natural de laranja-pera e calda cítrica.', 3990, 'bolos', 200),
    ('Torta de limão', 'Base crocante de biscoito, creme de limão-taiti e merengue maçaricado.', 7490, 'tortas', 90),
    ('Torta holandesa', 'Creme de baunilha, base de biscoito e cobertura de chocolate com biscoitos.', 9890, 'tortas', 70),
    ('Torta de morango', 'Creme de confeiteiro, morangos frescos e geleia de brilho.', 10490, 'tortas', 55),
    ('Torta de maçã', 'Massa amanteigada com maçãs caramelizadas e canela.', 8490, 'tortas', 65),
    ('Cheesecake de frutas vermelhas', 'Cream cheese assado sobre base de biscoito, com calda de frutas vermelhas.', 12990, 'tortas', 50),
    ('Brigadeiro tradicional (caixa com 12)', 'Chocolate belga 50% e granulado; a receita clássica de festa.', 3600, 'docinhos', 400),
    ('Beijinho de coco (caixa com 12)', 'Leite condensado e coco fresco ralado, finalizado com cravo.', 3400, 'docinhos', 350),
    ('Cajuzinho (caixa com 12)', 'Amendoim torrado, chocolate e açúcar cristal.', 3200, 'docinhos', 300),
    ('Olho de sogra (caixa com 12)', 'Ameixa recheada com doce de coco e calda de açúcar.', 3900, 'docinhos', 250),
    ('Brigadeiro de pistache (caixa com 12)', 'Pistache iraniano e chocolate branco.', 5900, 'docinhos', 180),
    ('Quindim', 'Gemas, açúcar e coco, assado em banho-maria; unidade.', 900, 'docinhos', 500),
    ('Bem-casado (caixa com 6)', 'Pão de ló recheado com doce de leite, embalado à mão.', 4200, 'docinhos', 220),
    ('Biscoito amanteigado (pacote 300 g)', 'Manteiga de primeira e baunilha, derrete na boca.', 2490, 'biscoitos', 320),
    ('Sequilho de maisena (pacote 250 g)', 'Sequilhos leves de amido de milho e leite de coco.', 1890, 'biscoitos', 380),
    ('Cookie de chocolate com castanhas (unidade)', 'Cookie grande com gotas de chocolate e castanha-do-pará.', 990, 'biscoitos', 450),
    ('Biscoito de polvilho (pacote 200 g)', 'Polvilho azedo assado, sequinho e crocante.', 1290, 'biscoitos', 480),
    ('Rosquinha de leite condensado (pacote 300 g)', 'Rosquinhas douradas, perfeitas para o café.', 1690, 'biscoitos', 300),
    ('Trufa de maracujá (unidade)', 'Chocolate ao leite recheado com ganache de maracujá.', 650, 'chocolates', 500),
    ('Barra de chocolate 70% cacau (100 g)', 'Cacau fino do sul da Bahia, de origem única.', 2290, 'chocolates', 260),
    ('Bombom de cereja (caixa com 9)', 'Cereja ao licor envolta em fondant e chocolate meio amargo.', 4990, 'chocolates', 160),
    ('Pão de mel (unidade)', 'Massa de mel e especiarias, recheio de doce de leite, coberto de chocolate.', 790, 'chocolates', 420),
    ('Ovo de colher de brigadeiro (350 g)', 'Casca de chocolate ao leite recheada com brigadeiro cremoso.', 8900, 'chocolates', 75),
    ('Pão de queijo (porção com 10)', 'Queijo canastra meia-cura e polvilho azedo.', 2200, 'paes', 300),
    ('Pão francês de fermentação natural (6 unidades)', 'Casca fina e crocante, miolo aerado; levain de 24 horas.', 1500, 'paes', 240),
    ('Pão doce com creme (unidade)', 'Massa brioche com creme de confeiteiro e coco ralado.', 850, 'paes', 260),
    ('Sonho de doce de leite (unidade)', 'Massa frita e leve, recheio generoso de doce de leite.', 790, 'paes', 280),
    ('Coxinha de frango com catupiry (porção com 6)', 'Frango desfiado temperado e requeijão cremoso.', 3300, 'salgados', 210),
    ('Empada de palmito (porção com 6)', 'Massa podre amanteigada e recheio cremoso de palmito.', 3500, 'salgados', 190),
    ('Quiche de alho-poró (unidade)', 'Massa crocante, creme de ovos e alho-poró refogado.', 2490, 'salgados', 110),
    ('Esfiha de carne (porção com 6)', 'Massa macia e recheio de carne temperada com limão e hortelã.', 2900, 'salgados', 230)
  ) AS seed (name, description, price_cents, category_slug, stock)
  JOIN categories ON categories.slug = seed.category_slug
 ORDER BY categories.id, seed.name;

INSERT INTO stock_movements (product_id, delta, kind)
SELECT id, stock, 'INITIAL' FROM products ORDER BY id;
