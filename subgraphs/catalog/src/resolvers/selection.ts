import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * Whether the operation selects `path` (field names, not aliases) below the field being
 * resolved, through inline fragments and fragment spreads. `@skip`/`@include` are not evaluated:
 * such a field counts as selected, so a caller may read ahead what is then not used, never less.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    fields = fields.flatMap((field) =>
      field.selectionSet ? fieldsNamed(name, field.selectionSet, info.fragments) : [],
    );
    if (fields.length === 0) return false;
  }
  return true;
}

function fieldsNamed(
  name: string,
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return selection.name.value === name ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(name, selection.selectionSet, fragments);
    const fragment = fragments[selection.name.value];
    return fragment ? fieldsNamed(name, fragment.selectionSet, fragments) : [];
  });
}
