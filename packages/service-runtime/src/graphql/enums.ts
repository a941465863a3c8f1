import { registerEnumType } from 'type-graphql';

/**
 * A GraphQL enum whose values are their own names (as the domain and the database spell them),
 * each listed once with its description:
 * `export const Size = graphqlEnum<SizeName>('Size', "A product's size.", { SMALL: 'Small (S).', … })`.
 * Returns the object `@Field(() => Size)` takes; a value of `TValue` without a description does not compile.
 */
export function graphqlEnum<TValue extends string>(
  name: string,
  description: string,
  values: Readonly<Record<TValue, string>>,
): { readonly [V in TValue]: V } {
  const entries = Object.entries<string>(values);
  const enumObject = Object.fromEntries(entries.map(([value]) => [value, value])) as { readonly [V in TValue]: V };
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(entries.map(([value, text]) => [value, { description: text }])) as Partial<
      Record<TValue, { description: string }>
    >,
  });
  return enumObject;
}
