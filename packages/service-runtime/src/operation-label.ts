import { type DocumentNode, Kind, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/** The label of a request no operation was resolved for (unparsable, invalid, ambiguous). */
export const UNRESOLVED_OPERATION = 'unresolved';

type Fragments = ReadonlyMap<string, readonly SelectionNode[]>;

function firstField(selections: readonly SelectionNode[], fragments: Fragments, seen: Set<string>): string | undefined {
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) return selection.name.value;
    let nested: readonly SelectionNode[] | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      nested = selection.selectionSet.selections;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      nested = fragments.get(selection.name.value);
    }
    const field = nested && firstField(nested, fragments, seen);
    if (field) return field;
  }
  return undefined;
}

/**
 * A metric label for an operation that values the schema bounds: its type and first root field
 * in document order (`query.products`, `mutation.claimCoupon`; aliases and the client's operation
 * name are ignored). Only a validated operation reaches here, so every root field is one the
 * schema declares.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined, document?: DocumentNode): string {
  if (!operation) return UNRESOLVED_OPERATION;
  const fragments = new Map(
    (document?.definitions ?? []).flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION
        ? [[definition.name.value, definition.selectionSet.selections] as const]
        : [],
    ),
  );
  const field = firstField(operation.selectionSet.selections, fragments, new Set());
  return `${operation.operation}.${field ?? UNRESOLVED_OPERATION}`;
}
