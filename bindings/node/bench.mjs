// Per-call overhead of a quote through Node versus the same call in Rust, in one run:
//
//   node bench.mjs            builds (nice'd) the optimized add-on (`cargo build --release -p
//                             kargojet-node`) and the Rust criterion bench, runs the bench
//                             (`cargo bench -p kargojet-node --bench quote_overhead`), then
//                             times the same calls through the add-on: both sides optimized alike
//   node bench.mjs --no-rust  reuses the last criterion results and add-on
//
// The quote is benches/quote-request.json (COD İstanbul → Van, 8 sandbox carriers, full ranked
// offers with breakdowns) on KargoJet.sandbox(). Figures are medians of repeated timed loops.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const target = resolve(root, process.env.CARGO_TARGET_DIR ?? 'target')
const runRust = !process.argv.includes('--no-rust')

if (runRust) {
  const cargo = ['bench', '-p', 'kargojet-node', '--bench', 'quote_overhead']
  execFileSync('nice', ['-n', '19', 'cargo', 'build', '--release', '-p', 'kargojet-node'], { cwd: root, stdio: 'inherit' })
  execFileSync('nice', ['-n', '19', 'cargo', ...cargo, '--no-run'], { cwd: root, stdio: 'inherit' })
  execFileSync('cargo', [...cargo, '--', '--warm-up-time', '1', '--measurement-time', '3'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}

const addon = join(target, 'release', process.platform === 'darwin' ? 'libkargojet_node.dylib' : 'libkargojet_node.so')
if (!existsSync(addon)) throw new Error(`${addon} missing: run without --no-rust first`)
const copy = join(tmpdir(), `kargojet-bench-${process.pid}.node`)
copyFileSync(addon, copy)
const { KargoJet } = createRequire(import.meta.url)(copy)

const camel = (v) =>
  Array.isArray(v)
    ? v.map(camel)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), camel(x)]))
      : v
const request = camel(JSON.parse(readFileSync(join(here, 'benches', 'quote-request.json'), 'utf8')))

const kj = KargoJet.sandbox()
const first = kj.quoteSync(request)
if (first.offers.length < 5) throw new Error(`only ${first.offers.length} offers`)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
async function nsPerCall(fn, calls, rounds = 7) {
  for (let i = 0; i < calls; i++) await fn() // warm-up
  const samples = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) await fn()
    samples.push(Number(process.hrtime.bigint() - t0) / calls)
  }
  return median(samples)
}
function nsPerCallSync(fn, calls, rounds = 7) {
  for (let i = 0; i < calls; i++) fn()
  const samples = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) fn()
    samples.push(Number(process.hrtime.bigint() - t0) / calls)
  }
  return median(samples)
}

const batch = Array.from({ length: 1000 }, () => request)
const node = {
  sync: nsPerCallSync(() => kj.quoteSync(request), 2000),
  async: await nsPerCall(() => kj.quote(request), 2000),
  concurrent: (await nsPerCall(() => Promise.all(Array.from({ length: 1000 }, () => kj.quote(request))), 3)) / 1000,
  batch: nsPerCallSync(() => kj.quoteBatchSync(batch), 5) / 1000,
}

function criterion(name) {
  const f = join(target, 'criterion', 'node_overhead', name, 'new', 'estimates.json')
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')).median.point_estimate : undefined
}
const rust = {
  sync: criterion('rust_quote_blocking'),
  async: criterion('rust_quote_async'),
  batch: criterion('rust_quote_batch_1000') && criterion('rust_quote_batch_1000') / 1000,
}

const us = (ns) => (ns === undefined ? '     n/a' : `${(ns / 1000).toFixed(2).padStart(8)} µs`)
const row = (label, n, r) => {
  const extra = r === undefined ? '' : `  overhead ${us(n - r)}  (${(n / r).toFixed(2)}×)`
  console.log(`${label.padEnd(34)} node ${us(n)}  rust ${us(r)}${extra}`)
}
console.log(`quote, ${first.offers.length} ranked offers with breakdowns, per call (median):`)
row('quoteSync / quote_blocking', node.sync, rust.sync)
row('await quote() / block_on(quote)', node.async, rust.async)
row('1,000 concurrent quote() / call', node.concurrent, undefined)
row('quoteBatchSync(1,000) / shipment', node.batch, rust.batch)
console.log(`RESULT node_quote_sync_ns=${node.sync.toFixed(0)} node_quote_async_ns=${node.async.toFixed(0)} ` +
  `node_quote_concurrent_ns=${node.concurrent.toFixed(0)} node_quote_batch_ns=${node.batch.toFixed(0)} ` +
  `rust_quote_blocking_ns=${rust.sync?.toFixed(0)} rust_quote_async_ns=${rust.async?.toFixed(0)} rust_quote_batch_ns=${rust.batch?.toFixed(0)}`)
