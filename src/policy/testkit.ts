// What the policy module's unit tests share: the start of their clusters (only *.test.ts import this).

/**
 * Nodes (each a flow-mapping metadata, e.g. "{name: node-a}") and the namespaces shop (team=shop)
 * and ops (team=ops), as YAML documents; the text opens with a newline and ends with "---\n".
 */
export function nodesAndTeams(...nodes: string[]): string {
  const docs = [
    ...nodes.map((m) => `apiVersion: v1\nkind: Node\nmetadata: ${m}\n`),
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: ops, labels: {team: ops}}\n',
  ];
  return '\n' + docs.map((d) => d + '---\n').join('');
}
