// A stand-in for the npm registry, on 127.0.0.1: `node fake-npm-registry.js published` serves bluesynth 0.0.0's
// metadata (for `npm view`), `absent` answers 404 for every package, and `serve PACKAGE.tgz` serves that package
// tarball under its own name and version, installable with `npm install`. Prints its port, then serves until killed.
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const zlib = require('zlib');

const mode = process.argv[2];
let packument;
let tarball;
if (mode === 'published') {
  packument = {
    'name': 'bluesynth',
    'dist-tags': { latest: '0.0.0' },
    'versions': {
      '0.0.0': {
        name: 'bluesynth',
        version: '0.0.0',
        dist: { tarball: 'http://127.0.0.1/bluesynth/-/bluesynth-0.0.0.tgz', shasum: '0000000000000000000000000000000000000000' },
      },
    },
  };
} else if (mode === 'serve') {
  tarball = fs.readFileSync(process.argv[3]);
  const manifest = JSON.parse(packageJson(zlib.gunzipSync(tarball)));
  packument = {
    'name': manifest.name,
    'dist-tags': { latest: manifest.version },
    'versions': {
      [manifest.version]: {
        ...manifest,
        dist: {
          tarball: '',
          shasum: crypto.createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${crypto.createHash('sha512').update(tarball).digest('base64')}`,
        },
      },
    },
  };
}

/** package/package.json's text in an uncompressed tar archive (512-byte headers, octal sizes). */
function packageJson(tar) {
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = tar.subarray(offset, offset + 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (name === 'package/package.json') return tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no package/package.json in the tarball');
}

const server = http.createServer((request, response) => {
  const url = decodeURIComponent(request.url.replace(/^\/+/, ''));
  if (tarball && url === `${packument.name}/-/package.tgz`) {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(tarball);
    return;
  }
  const found = packument !== undefined && url === packument.name;
  response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify(found ? packument : { error: 'Not found' }));
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  if (tarball) packument.versions[packument['dist-tags'].latest].dist.tarball = `http://127.0.0.1:${port}/${packument.name}/-/package.tgz`;
  process.stdout.write(`${port}\n`);
});
