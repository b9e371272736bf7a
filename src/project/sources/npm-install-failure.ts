/**
 * The words of an `npm install` of a blueprint package that failed: npm's own lines that say why (not its
 * boilerplate: "Note that you can also install from a tarball, ...", where its log is), and, where npm could not
 * find a package the blueprint depends on, what that usually means. A blueprint packed with `npm pack` in a
 * workspace monorepo declares its workspace packages (`@acme/common`) as dependencies without bringing them: npm
 * bundles no workspace package, so the install asks the registry for them.
 *
 * @param what the spec npm was asked to install (a tarball's path, `name@version`)
 * @param output what npm printed (its standard error, else its standard output)
 * @param packageName the blueprint package's own name, where known before the install (a registry spec)
 */
export function npmInstallFailure(what: string, output: string, packageName?: string): string {
  const lines = output.trim().split('\n')
    .filter(line => !/A complete log of this run can be found in|Note that you can also install from a|tarball, folder, http url, or git url|^npm (error|ERR!) 404\s*$/.test(line));
  const said = lines.slice(-5).join('\n');
  const missing = /requested resource '((?:@[^/\s']+\/)?[^@\s']+)(?:@([^']*))?' could not be found/.exec(output);
  const registry = /404 Not Found - GET (\S+)/.exec(output)?.[1];
  let message = `blueprint source '${what}': npm install failed: ${said}`;
  if (missing && missing[1] !== packageName) {
    const spec = missing[2] ? `${missing[1]}@${missing[2]}` : missing[1];
    message += `\n'${spec}', a dependency of the blueprint's package, is not on the registry npm asked` +
      `${registry ? ` (${registry.replace(/\/[^/]+$/, '/')})` : ''}: an installed blueprint takes its dependencies from a registry.` +
      ' A package of the monorepo the blueprint was packed in (a workspace) is not packed with it, even under bundleDependencies:' +
      ' publish that package first (to the registry, or a scope\'s registry in .npmrc), or create from the monorepo as a git source' +
      ' (URL#TAG:path/to/blueprint), whose install brings its workspace packages.';
  }
  return message;
}
