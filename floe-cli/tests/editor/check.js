// Runs yaml-language-server (what the YAML editor extensions use) on manifests that
// point at a floe manifest schema through the `# yaml-language-server: $schema=` modeline.
// Input (argv[2]): {"schema": "/abs/schema.json", "cases": [[name, body], ...],
// "complete": [[name, body, line, character], ...]}.
// Output (stdout): {"diagnostics": {name: [message, ...]}, "completions": {name: [label, ...]}}.
const fs = require('fs');
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const service = getLanguageService({
  schemaRequestService: async (uri) => fs.readFileSync(new URL(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).toString() },
});
service.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2' });
const modeline = `# yaml-language-server: $schema=file://${input.schema}\n`;

(async () => {
  const out = { diagnostics: {}, completions: {} };
  let n = 0;
  // A fresh URI for each document: the service caches parses by URI and version.
  const doc = (body) => TextDocument.create(`file:///floe-editor-check/${n++}.yaml`, 'yaml', 1, modeline + body);
  for (const [name, body] of input.cases) {
    const diagnostics = await service.doValidation(doc(body), false);
    out.diagnostics[name] = diagnostics.map((d) => d.message.split('\n')[0]);
  }
  for (const [name, body, line, character] of input.complete) {
    // +1 line: the modeline comes first.
    const list = await service.doComplete(doc(body), { line: line + 1, character }, false);
    out.completions[name] = list.items.map((i) => i.label);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
