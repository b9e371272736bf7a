// A stand-in for the npm registry, on 127.0.0.1, for `npm view`: `node fake-npm-registry.js published`
// serves bluesynth 0.0.0, `absent` answers 404 for every package. Prints its port, then serves until killed.
const http = require('http');

const published = process.argv[2] === 'published';
const packument = {
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

const server = http.createServer((request, response) => {
  const found = published && request.url.replace(/^\/+/, '') === 'bluesynth';
  response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify(found ? packument : { error: 'Not found' }));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
