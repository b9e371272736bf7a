// A stand-in for an npm registry on 127.0.0.1, serving the tarballs named on the command line (made by `npm pack`)
// for `npm view` and `npm install`: `node npm-registry.js a-1.0.0.tgz a-1.1.0.tgz ...`. A package's `latest` tag is
// its highest version, unless `--tag name@tag=version` says otherwise. With `--token=SECRET`, every request must
// carry `authorization: Bearer SECRET` (401 otherwise), as a private registry asks. Prints its port, then serves until killed.
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');
const semver = require('semver');

const packages = new Map();
const tags = [];
let token;
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--tag=')) { tags.push(arg.slice('--tag='.length)); continue; }
  if (arg.startsWith('--token=')) { token = arg.slice('--token='.length); continue; }
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', arg, 'package/package.json'], { encoding: 'utf8' }));
  const data = fs.readFileSync(arg);
  const entry = packages.get(manifest.name) ?? { name: manifest.name, 'dist-tags': {}, versions: {}, files: new Map() };
  const file = `${manifest.name.replace('/', '-')}-${manifest.version}.tgz`;
  entry.files.set(file, data);
  entry.versions[manifest.version] = {
    ...manifest,
    dist: {
      file,
      shasum: crypto.createHash('sha1').update(data).digest('hex'),
      integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
    },
  };
  packages.set(manifest.name, entry);
}
for (const entry of packages.values()) entry['dist-tags'].latest = Object.keys(entry.versions).sort(semver.compare).pop();
for (const tag of tags) {
  const [, name, label, version] = /^(.+)@([^@=]+)=(.+)$/.exec(tag);
  packages.get(name)['dist-tags'][label] = version;
}

const server = http.createServer((request, response) => {
  if (token && request.headers.authorization !== `Bearer ${token}`) {
    response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
    response.end(JSON.stringify({ error: 'Unauthorized' }));
    return;
  }
  const url = decodeURIComponent(request.url.replace(/^\/+/, ''));
  const base = `http://127.0.0.1:${server.address().port}`;
  const [name, file] = url.split('/-/');
  const entry = packages.get(name);
  if (entry && file && entry.files.has(file)) {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(entry.files.get(file));
    return;
  }
  if (entry && !file) {
    const versions = Object.fromEntries(Object.entries(entry.versions).map(([version, manifest]) => {
      const { file: tarball, ...dist } = manifest.dist;
      return [version, { ...manifest, dist: { ...dist, tarball: `${base}/${name}/-/${tarball}` } }];
    }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ name, 'dist-tags': entry['dist-tags'], versions }));
    return;
  }
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'Not found' }));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
