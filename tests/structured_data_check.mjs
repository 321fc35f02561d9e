// Google's rich-result rules applied to pages' JSON-LD, by Adobe's structured data validator
// (npm @adobe/structured-data-validator). tests/test_structured_data_rules.py runs it.
//
// stdin: a JSON object {page name: the page's HTML}.
// stdout: a JSON object {page name: [{severity, message, where}]}, errors and warnings.
//
// The validator reads what @marbec/web-auto-extractor makes of a page: {jsonld: {type: [node]}},
// each node of a top-level @graph a root of its own. Our pages write JSON-LD only, each block as
// public/structured_data.py escapes it (no "<" inside), so the blocks are found here without an
// HTML parser. Microdata or RDFa would go unread: a page carrying any is reported as an error,
// so nobody adds some that this check silently skips.
//
// No schema.org vocabulary is given to the validator (it is fetched from the internet, which
// tests never touch): tests/test_structured_data.py checks our property names against a schema
// of its own.

import Validator from '@adobe/structured-data-validator';

const JSON_LD_BLOCK =
  /<script\b[^>]*\btype=["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script\s*>/gi;
// An attribute of either inside a tag (not the same word in the page's text).
const OTHER_FORMATS = /<[a-z][^>]*?\s(itemscope|itemprop|itemtype|vocab|typeof|property)(?=[\s=>/])/i;

function extracted(html) {
  const jsonld = {};
  const problems = [];
  for (const [, text] of html.matchAll(JSON_LD_BLOCK)) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      problems.push(`a JSON-LD block is not JSON: ${error.message}`);
      continue;
    }
    for (const item of Array.isArray(data) ? data : [data]) {
      for (const node of item['@graph'] ?? [item]) {
        (jsonld[node['@type']] ??= []).push(node);
      }
    }
  }
  return { jsonld, problems };
}

// <meta property="og:…"> is Open Graph, not RDFa: only the <body> is looked at for the others.
function otherFormats(html) {
  const body = html.split(/<body\b/i)[1] ?? '';
  const found = body.match(OTHER_FORMATS);
  return found ? [`the page has microdata or RDFa (${found[1]}), which this check does not read`] : [];
}

function where(issue) {
  const path = (issue.path ?? [])
    .map((step) => (step.property ? `${step.property} (${step.type ?? 'value'})` : step.type))
    .join(' > ');
  const fields = (issue.fieldNames ?? []).join(', ');
  return [path, fields && `(${fields})`].filter(Boolean).join(' ');
}

async function check(html) {
  const { jsonld, problems } = extracted(html);
  const issues = [...problems, ...otherFormats(html)].map((message) => ({
    severity: 'ERROR',
    message,
    where: '',
  }));
  for (const issue of await new Validator().validate({ jsonld, microdata: {}, rdfa: {} })) {
    issues.push({ severity: issue.severity, message: issue.issueMessage, where: where(issue) });
  }
  return issues;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const pages = JSON.parse(await readStdin());
const report = {};
for (const [name, html] of Object.entries(pages)) {
  report[name] = await check(html);
}
process.stdout.write(JSON.stringify(report));
