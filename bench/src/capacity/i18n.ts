/**
 * Every word the capacity report prints, in English and Brazilian Portuguese (the chaos reports'
 * shared words — Figure, Table, PASS, FAIL — come from their dictionary). Same keys in both; a test
 * compares them. `{name}` placeholders are filled by the chaos report's `fill`.
 */
import { fill } from '@confeitaria/chaos/report/i18n';
import type { Lang } from '@confeitaria/chaos/run-result';

export const en = {
  title: 'Capacity report: concurrent shoppers on this machine',
  subtitle: 'Run {started} → {ended}, {cpus}, commit {commit}',
  howToRead:
    'How to read this report: section 1 gives the knee (the most concurrent shoppers the shop served within its service levels) and the stress verdict; the figures plot each held step against its number of shoppers; every table and figure is numbered so it can be cited.',
  quickRun:
    'Quick run (CI’s smoke of the harness): steps too small and too short to mean anything; the shape of the report is what it checks.',
  sectionSummary: 'Summary: the knee, the stress run and the auditor',
  sectionMethod: 'Method: shoppers, think time and what counts as held',
  sectionThroughput: 'Throughput against shoppers',
  sectionLatency: 'Latency against shoppers',
  sectionFailures: 'Failed and shed requests',
  sectionCpu: 'Where the CPU went',
  sectionArrival: 'Shoppers arriving: the login storm',
  sectionStress: 'Stress: {factor}× the knee',
  sectionAudit: 'Business invariants audited after the run',
  sectionEnvironment: 'Environment and reproduction',
  readThroughput:
    'Requests and journeys are counted by the client (k6) over each step’s hold; orders completed are counted by the server (orders reaching CONFIRMED or CANCELLED), so the two sides check each other.',
  readLatency:
    'Client-side latency over each step’s hold, per route as the journey names its requests. The checkout SLO is judged on the p95 of POST /api/orders.',
  readFailures:
    'A request failed when it got no answer, a 5xx, or a 4xx the journey did not expect; shed requests (429 or 503 with Retry-After) count as failed for the knee, and the shopper waits and retries them.',
  readCpu:
    'Average cores each process tree used over each step’s hold (user + system time from /proc); the machine has {cores}. The busiest processes explain the knee.',
  readArrival:
    'Between held steps hundreds of shoppers sign in within seconds. Those logins are measured apart: password hashing is bounded on purpose, so most of them are shed at once with Retry-After and succeed on retry.',
  readStress:
    'Twice the knee’s shoppers held for the stress run: goodput (orders completed per second) must stay at or above {min} of the knee’s, and no 5xx may appear but the documented 503 shedding.',
  readAudit: 'Checked against the databases and the broker once the pipeline had settled (DESIGN.md §4).',
  kneeFound:
    'Knee: {shoppers} concurrent shoppers — {orders} orders completed per second, {rps} requests per second, checkout p95 {p95} ms, {failed} failed.',
  kneeNone: 'No knee: the first step ({shoppers} shoppers) did not hold.',
  kneeBelowTarget:
    'The knee is below the 1000 concurrent shoppers the seed plans for; section {section} shows where the CPU went.',
  stressHeld:
    'Stress at {shoppers} shoppers ({factor}× the knee): goodput {ratio} of the knee’s (at least {min}), {unexpected} unexpected errors.',
  stressNotRun: 'Stress run: not run ({why}).',
  stressNoKnee: 'no knee to double',
  stressSkipped: 'switched off with --no-stress',
  auditClean: 'Auditor: every invariant holds ({n} checked).',
  auditDirty: 'Auditor: {n} invariants violated.',
  method:
    'Each step is a number of concurrent shoppers (k6 virtual users, one seeded account each, sending from {addresses} loopback addresses so the gateway sees distinct clients). Shoppers arrive over a {ramp} s ramp, then the step is held {hold} s; only the hold is measured. A shopper browses the catalogue, opens a product, fills the cart, checks out and follows the order to its end, thinking between steps: {think}. Steps: {steps}.',
  shop_lab:
    'The shop measured is the stack as experiments run it: every edge between a service and what it calls goes through Toxiproxy, and every request is traced.',
  shop_direct:
    'The shop measured is the stack’s services wired straight to their datastores, without Toxiproxy (the benchmark’s instances, same code and configuration), every request traced.',
  shop_bare:
    'The shop measured is the stack’s services wired straight to their datastores, without Toxiproxy and without tracing: what is left when the lab’s instruments are taken away.',
  signedIn:
    'All {n} shoppers were signed in before the staircase, four logins at a time ({seconds} s, {shed} refusals with Retry-After waited out): returning customers whose session is still open, so the steps measure shopping and not a login storm.',
  kneeRule:
    'A step held when under {maxFailed} of its requests failed (shed ones count as failed) and checkout’s p95 stayed under {slo} ms. The knee is the largest step that held with every step below it holding too.',
  thinkTpcw:
    'TPC-W’s shopper: between two steps a pause drawn from a negative exponential of mean 7 s, cut at 70 s (TPC-W 1.8, clause 5.3.1.1)',
  thinkUniform: 'a pause between two steps drawn uniformly from {from} to {to} s',
  thinkFixed: 'a pause of {s} s between two steps',
  captionThroughput: 'Requests, journeys and orders per second against concurrent shoppers (knee marked)',
  captionLatency: 'Latency against concurrent shoppers: checkout p50/p95/p99 and the catalogue’s p95, with the SLO',
  captionFailures: 'Failed and shed requests against concurrent shoppers, with the 1 % bound',
  captionCpu: 'Cores used per process against concurrent shoppers',
  captionSteps: 'Every step of the staircase',
  captionRoutes: 'Latency per route and step (ms)',
  captionStatus: 'Responses by status and shed requests by reason, per step',
  captionCpuTable: 'Cores per process and step',
  captionArrival: 'Logins of arriving shoppers',
  captionStress: 'The stress run against the knee',
  captionAudit: 'Invariants after the run',
  captionEnvironment: 'What the run ran on',
  colShoppers: 'Shoppers',
  colRps: 'req/s',
  colJourneys: 'journeys/s',
  colAccepted: 'orders accepted/s',
  colCompleted: 'orders completed/s',
  colFailed: 'failed %',
  colShed: 'shed %',
  colCheckoutP95: 'checkout p95 ms',
  colHeld: 'held',
  colRoute: 'Route',
  colCount: 'requests',
  colStatus: 'Responses by status',
  colReasons: 'Shed by reason',
  colProcess: 'Process',
  colLogins: 'logins',
  colP95: 'p95 ms',
  colWhat: 'What',
  colValue: 'Value',
  colInvariant: 'Invariant',
  colVerdict: 'Verdict',
  colChecked: 'Checked',
  colViolations: 'Violations',
  knee: 'knee',
  yes: 'yes',
  no: 'no',
  none: 'none',
  other: 'other',
  axisShoppers: 'concurrent shoppers',
  axisPerSecond: 'per second',
  axisOrdersPerSecond: 'orders per second',
  axisMs: 'ms',
  axisPercent: '%',
  axisCores: 'cores',
  seriesRequests: 'requests/s',
  seriesJourneys: 'journeys/s',
  seriesAccepted: 'orders accepted/s',
  seriesCompleted: 'orders completed/s',
  seriesCheckout: 'checkout {q}',
  seriesProductsP95: 'GET /api/products p95',
  seriesSlo: 'SLO {slo} ms',
  seriesFailed: 'failed %',
  seriesShed: 'shed %',
  seriesBound: '{bound} bound',
  envMachine: 'Machine',
  envNode: 'Node.js',
  envCommit: 'Commit',
  envStarted: 'Started',
  envEnded: 'Ended',
  envK6: 'k6 exit code',
  envLedger: 'Orders in the journey’s ledger',
  envSummary: 'k6 summary',
  envCommand: 'Repeat this run with',
  stressRowShoppers: 'Shoppers (knee → stress)',
  stressRowGoodput: 'Orders completed per second (knee → stress)',
  stressRowRatio: 'Goodput ratio (at least {min})',
  stressRowFailed: 'Failed / shed requests',
  stressRowUnexpected: 'Unexpected errors (no answer, 5xx but shedding)',
  stressRowStatus: 'Responses by status',
  stressRowReasons: 'Shed by reason',
} as const;

export type CapacityKey = keyof typeof en;
export type CapacityStrings = Record<CapacityKey, string>;

export const ptBR: CapacityStrings = {
  title: 'Relatório de capacidade: compradores simultâneos nesta máquina',
  subtitle: 'Execução {started} → {ended}, {cpus}, commit {commit}',
  howToRead:
    'Como ler este relatório: a seção 1 dá o joelho (o maior número de compradores simultâneos que a loja atendeu dentro dos níveis de serviço) e o veredito do estresse; as figuras mostram cada degrau mantido contra o seu número de compradores; toda tabela e figura é numerada para poder ser citada.',
  quickRun:
    'Execução rápida (o teste de fumaça do CI): degraus pequenos e curtos demais para significar algo; o que se verifica é a forma do relatório.',
  sectionSummary: 'Resumo: o joelho, o estresse e o auditor',
  sectionMethod: 'Método: compradores, tempo de reflexão e o que conta como mantido',
  sectionThroughput: 'Vazão contra compradores',
  sectionLatency: 'Latência contra compradores',
  sectionFailures: 'Requisições falhas e descartadas',
  sectionCpu: 'Para onde foi a CPU',
  sectionArrival: 'Compradores chegando: a avalanche de logins',
  sectionStress: 'Estresse: {factor}× o joelho',
  sectionAudit: 'Invariantes de negócio auditadas após a execução',
  sectionEnvironment: 'Ambiente e reprodução',
  readThroughput:
    'Requisições e jornadas são contadas pelo cliente (k6) durante a manutenção de cada degrau; pedidos concluídos são contados pelo servidor (pedidos que chegaram a CONFIRMED ou CANCELLED), de modo que um lado confere o outro.',
  readLatency:
    'Latência do lado do cliente durante a manutenção de cada degrau, por rota, como a jornada nomeia as requisições. O SLO de checkout é julgado pelo p95 de POST /api/orders.',
  readFailures:
    'Uma requisição falhou quando não teve resposta, teve um 5xx ou um 4xx que a jornada não esperava; requisições descartadas (429 ou 503 com Retry-After) contam como falhas para o joelho, e o comprador espera e tenta de novo.',
  readCpu:
    'Núcleos médios usados por árvore de processos durante a manutenção de cada degrau (tempo de usuário + sistema de /proc); a máquina tem {cores}. Os processos mais ocupados explicam o joelho.',
  readArrival:
    'Entre degraus mantidos, centenas de compradores entram em segundos. Esses logins são medidos à parte: o hashing de senhas é limitado de propósito, então a maioria é descartada na hora com Retry-After e dá certo na nova tentativa.',
  readStress:
    'O dobro dos compradores do joelho mantido na execução de estresse: a vazão útil (pedidos concluídos por segundo) deve ficar em pelo menos {min} da do joelho, e nenhum 5xx pode aparecer além do descarte documentado com 503.',
  readAudit: 'Verificadas nos bancos de dados e no broker depois que o pipeline assentou (DESIGN.md §4).',
  kneeFound:
    'Joelho: {shoppers} compradores simultâneos — {orders} pedidos concluídos por segundo, {rps} requisições por segundo, p95 do checkout {p95} ms, {failed} de falhas.',
  kneeNone: 'Sem joelho: o primeiro degrau ({shoppers} compradores) não se manteve.',
  kneeBelowTarget:
    'O joelho está abaixo dos 1000 compradores simultâneos que o projeto original prevê; a seção {section} mostra para onde foi a CPU.',
  stressHeld:
    'Estresse com {shoppers} compradores ({factor}× o joelho): vazão útil {ratio} da do joelho (mínimo {min}), {unexpected} erros inesperados.',
  stressNotRun: 'Estresse: não executado ({why}).',
  stressNoKnee: 'não há joelho para dobrar',
  stressSkipped: 'desligado com --no-stress',
  auditClean: 'Auditor: todas as invariantes valem ({n} verificadas).',
  auditDirty: 'Auditor: {n} invariantes violadas.',
  method:
    'Cada degrau é um número de compradores simultâneos (usuários virtuais do k6, cada um com uma conta semeada, enviando de {addresses} endereços de loopback para que o gateway veja clientes distintos). Os compradores chegam numa rampa de {ramp} s e o degrau é mantido por {hold} s; só a manutenção é medida. Um comprador navega pelo catálogo, abre um produto, enche o carrinho, finaliza a compra e acompanha o pedido até o fim, refletindo entre os passos: {think}. Degraus: {steps}.',
  shop_lab:
    'A loja medida é a pilha como os experimentos a executam: toda ligação entre um serviço e o que ele chama passa pelo Toxiproxy, e toda requisição é rastreada.',
  shop_direct:
    'A loja medida são os serviços da pilha ligados diretamente aos seus armazenamentos, sem Toxiproxy (as instâncias do benchmark, mesmo código e configuração), com toda requisição rastreada.',
  shop_bare:
    'A loja medida são os serviços da pilha ligados diretamente aos seus armazenamentos, sem Toxiproxy e sem rastreamento: o que resta sem os instrumentos do laboratório.',
  signedIn:
    'Os {n} compradores entraram na conta antes da escada, quatro logins por vez ({seconds} s, {shed} recusas com Retry-After aguardadas): clientes que voltam com a sessão ainda aberta, de modo que os degraus medem compras e não uma avalanche de logins.',
  kneeRule:
    'Um degrau se manteve quando menos de {maxFailed} das requisições falharam (as descartadas contam como falhas) e o p95 do checkout ficou abaixo de {slo} ms. O joelho é o maior degrau mantido com todos os degraus abaixo dele também mantidos.',
  thinkTpcw:
    'o comprador do TPC-W: entre dois passos uma pausa sorteada de uma exponencial negativa de média 7 s, cortada em 70 s (TPC-W 1.8, cláusula 5.3.1.1)',
  thinkUniform: 'uma pausa entre dois passos sorteada uniformemente entre {from} e {to} s',
  thinkFixed: 'uma pausa de {s} s entre dois passos',
  captionThroughput: 'Requisições, jornadas e pedidos por segundo contra compradores simultâneos (joelho marcado)',
  captionLatency: 'Latência contra compradores simultâneos: p50/p95/p99 do checkout e p95 do catálogo, com o SLO',
  captionFailures: 'Requisições falhas e descartadas contra compradores simultâneos, com o limite de 1 %',
  captionCpu: 'Núcleos usados por processo contra compradores simultâneos',
  captionSteps: 'Todos os degraus da escada',
  captionRoutes: 'Latência por rota e degrau (ms)',
  captionStatus: 'Respostas por status e requisições descartadas por motivo, por degrau',
  captionCpuTable: 'Núcleos por processo e degrau',
  captionArrival: 'Logins dos compradores chegando',
  captionStress: 'A execução de estresse contra o joelho',
  captionAudit: 'Invariantes após a execução',
  captionEnvironment: 'Onde a execução rodou',
  colShoppers: 'Compradores',
  colRps: 'req/s',
  colJourneys: 'jornadas/s',
  colAccepted: 'pedidos aceitos/s',
  colCompleted: 'pedidos concluídos/s',
  colFailed: 'falhas %',
  colShed: 'descartadas %',
  colCheckoutP95: 'p95 checkout ms',
  colHeld: 'manteve',
  colRoute: 'Rota',
  colCount: 'requisições',
  colStatus: 'Respostas por status',
  colReasons: 'Descartadas por motivo',
  colProcess: 'Processo',
  colLogins: 'logins',
  colP95: 'p95 ms',
  colWhat: 'O quê',
  colValue: 'Valor',
  colInvariant: 'Invariante',
  colVerdict: 'Veredito',
  colChecked: 'Verificado',
  colViolations: 'Violações',
  knee: 'joelho',
  yes: 'sim',
  no: 'não',
  none: 'nenhuma',
  other: 'outros',
  axisShoppers: 'compradores simultâneos',
  axisPerSecond: 'por segundo',
  axisOrdersPerSecond: 'pedidos por segundo',
  axisMs: 'ms',
  axisPercent: '%',
  axisCores: 'núcleos',
  seriesRequests: 'requisições/s',
  seriesJourneys: 'jornadas/s',
  seriesAccepted: 'pedidos aceitos/s',
  seriesCompleted: 'pedidos concluídos/s',
  seriesCheckout: 'checkout {q}',
  seriesProductsP95: 'GET /api/products p95',
  seriesSlo: 'SLO {slo} ms',
  seriesFailed: 'falhas %',
  seriesShed: 'descartadas %',
  seriesBound: 'limite de {bound}',
  envMachine: 'Máquina',
  envNode: 'Node.js',
  envCommit: 'Commit',
  envStarted: 'Início',
  envEnded: 'Fim',
  envK6: 'Código de saída do k6',
  envLedger: 'Pedidos no registro da jornada',
  envSummary: 'Resumo do k6',
  envCommand: 'Repita esta execução com',
  stressRowShoppers: 'Compradores (joelho → estresse)',
  stressRowGoodput: 'Pedidos concluídos por segundo (joelho → estresse)',
  stressRowRatio: 'Razão de vazão útil (mínimo {min})',
  stressRowFailed: 'Requisições falhas / descartadas',
  stressRowUnexpected: 'Erros inesperados (sem resposta, 5xx além do descarte)',
  stressRowStatus: 'Respostas por status',
  stressRowReasons: 'Descartadas por motivo',
};

const dictionaries: Record<Lang, CapacityStrings> = { en, 'pt-BR': ptBR };

export const capacityStrings = (lang: Lang): CapacityStrings => dictionaries[lang];

/** The think-time model (`tpcw`, `min-max` uniform, or a fixed number of seconds) in words. */
export function describeThink(model: string, lang: Lang): string {
  const s = dictionaries[lang];
  if (model === 'tpcw') return s.thinkTpcw;
  const [from = model, to] = model.split('-');
  return to !== undefined ? fill(s.thinkUniform, { from, to }) : fill(s.thinkFixed, { s: from });
}
