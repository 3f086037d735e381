// Turns a cargo build of the kargojet-node crate into the npm package's files:
//   kargojet.<platform>.node  the add-on (copied from <target>/debug/libkargojet_node.so)
//   index.d.ts                the types, from napi-derive's intermediate type definitions
//   index.js                  the platform loader
// The crate is built by cargo itself (the workspace's one command shape) with
// NAPI_TYPE_DEF_TMP_FOLDER=<typeDefDir>, so no second build with other flags is needed.
//
//   node scripts/generate.mjs <cargo target dir> <type-def dir>
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateTypeDef, writeJsBinding } from '@napi-rs/cli'

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const [targetDir, typeDefDir] = process.argv.slice(2)
if (!targetDir || !typeDefDir) {
  console.error('usage: node scripts/generate.mjs <cargo target dir> <type-def dir>')
  process.exit(2)
}

const pkg = JSON.parse(await readFile(join(here, 'package.json'), 'utf8'))
const binaryName = pkg.napi.binaryName
const platforms = { 'linux-x64': 'linux-x64-gnu', 'linux-arm64': 'linux-arm64-gnu', 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64' }
const platform = platforms[`${process.platform}-${process.arch}`]
if (!platform) throw new Error(`no add-on name for ${process.platform}-${process.arch}`)
const library = process.platform === 'darwin' ? 'libkargojet_node.dylib' : 'libkargojet_node.so'

const built = join(resolve(targetDir), 'debug', library)
await stat(built)
await copyFile(built, join(here, `${binaryName}.${platform}.node`))

const typeDefFile = join(resolve(typeDefDir), 'kargojet-node')
await stat(typeDefFile)
const { dts, exports } = await generateTypeDef({
  typeDefDir: resolve(typeDefDir),
  cwd: here,
  dtsHeaderFile: 'dts-header.d.ts',
  constEnum: false,
  declareBindingTarget: true,
})
if (!exports.includes('KargoJet')) throw new Error(`no KargoJet class among the exports: ${exports}`)
await writeFile(join(here, 'index.d.ts'), dts)
await writeJsBinding({
  platform: true,
  idents: exports,
  binaryName,
  packageName: pkg.name,
  version: pkg.version,
  outputDir: here,
})
console.log(`kargojet: ${binaryName}.${platform}.node, index.js and index.d.ts (${exports.length} exports)`)
