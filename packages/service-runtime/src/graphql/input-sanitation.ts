import type { ApolloServerPlugin } from '@apollo/server';
import { badUserInput, type FieldProblem } from '@radiata/errors';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * The one rule for every String and ID a client sends: no C0 control characters but tab, line
 * feed and carriage return, no DEL, and no lone UTF-16 surrogates. PostgreSQL refuses NUL
 * (22021) and would answer with an internal error; the others have no business in names,
 * emails or searches and only serve log and terminal injection.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Surrogate}/u;

const TEXT_PROBLEM = 'must not contain control characters (other than tab and line breaks) or lone surrogates';

/** Why `value` breaks the text rule, or undefined when it keeps it. */
export const textProblem = (value: string): string | undefined =>
  FORBIDDEN_TEXT.test(value) ? TEXT_PROBLEM : undefined;

const TEXT_SCALARS = new Set(['String', 'ID']);

export interface InputSanitationOptions {
  /**
   * Custom scalars checked with these parse functions, by name. The gateway's schema knows its
   * custom scalars only by name (it would pass anything on), so it is given the subgraphs' own.
   */
  readonly scalars?: readonly GraphQLScalarType[];
}

type Checkers = ReadonlyMap<string, GraphQLScalarType>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Walks a JSON variable value along its declared type; anything of the wrong shape is left to graphql-js. */
function walkValue(type: GraphQLInputType, value: unknown, path: string, scalars: Checkers, out: FieldProblem[]): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) {
    walkValue(type.ofType, value, path, scalars, out);
    return;
  }
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a list of one.
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      walkValue(type.ofType, item, Array.isArray(value) ? `${path}.${index}` : path, scalars, out);
    });
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    for (const [name, field] of Object.entries(type.getFields())) {
      if (Object.hasOwn(value, name)) {
        walkValue(field.type, (value as Record<string, unknown>)[name], `${path}.${name}`, scalars, out);
      }
    }
    return;
  }
  if (!isScalarType(type)) return;
  if (TEXT_SCALARS.has(type.name)) {
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) out.push({ field: path, message: problem });
    return;
  }
  const checker = scalars.get(type.name);
  if (!checker) return;
  try {
    checker.parseValue(value);
  } catch (error) {
    out.push({ field: path, message: messageOf(error) });
  }
}

/** Walks a literal in the document along its type; variables inside it are checked by walkValue. */
function walkLiteral(
  type: GraphQLInputType,
  node: ValueNode,
  path: string,
  scalars: Checkers,
  out: FieldProblem[],
): void {
  if (node.kind === Kind.VARIABLE || node.kind === Kind.NULL) return;
  if (isNonNullType(type)) {
    walkLiteral(type.ofType, node, path, scalars, out);
    return;
  }
  if (isListType(type)) {
    const items = node.kind === Kind.LIST ? node.values : [node];
    items.forEach((item, index) => {
      walkLiteral(type.ofType, item, node.kind === Kind.LIST ? `${path}.${index}` : path, scalars, out);
    });
    return;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return;
    const fields = type.getFields();
    for (const field of node.fields) {
      const definition = fields[field.name.value];
      if (definition) walkLiteral(definition.type, field.value, `${path}.${field.name.value}`, scalars, out);
    }
    return;
  }
  if (!isScalarType(type)) return;
  if (TEXT_SCALARS.has(type.name)) {
    const problem = node.kind === Kind.STRING ? textProblem(node.value) : undefined;
    if (problem) out.push({ field: path, message: problem });
    return;
  }
  const checker = scalars.get(type.name);
  if (!checker) return;
  try {
    checker.parseLiteral(node, undefined);
  } catch (error) {
    out.push({ field: path, message: messageOf(error) });
  }
}

/**
 * Every problem of an operation's input under the text rule and the given scalars: its variables
 * (named by variable and path, `input.email`), the defaults of its variables, and the literal
 * arguments in the document (named by argument and path, `filter.query`). Only what graphql-js
 * would let through is looked at; wrong types, unknown fields and missing values stay its job.
 */
export function inputProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  options: InputSanitationOptions = {},
): FieldProblem[] {
  const scalars: Checkers = new Map((options.scalars ?? []).map((scalar) => [scalar.name, scalar]));
  const problems: FieldProblem[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const name = definition.variable.name.value;
    if (definition.defaultValue) walkLiteral(type, definition.defaultValue, name, scalars, problems);
    walkValue(type, variables[name], name, scalars, problems);
  }
  // The operation's fields and those of the fragments it may spread (not other operations').
  for (const definition of document.definitions) {
    if (definition !== operation && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Argument(node) {
          const argument = typeInfo.getArgument();
          if (argument) walkLiteral(argument.type, node.value, node.name.value, scalars, problems);
          return false;
        },
        VariableDefinition: () => false,
      }),
    );
  }
  return problems;
}

/** BAD_USER_INPUT (HTTP 400) listing each problem by field, like validateInput's. */
export function inputProblemsError(problems: readonly FieldProblem[]): GraphQLError {
  const error = badUserInput(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/**
 * Refuses an operation whose input breaks the text rule or a checked scalar, before it is
 * planned or executed: BAD_USER_INPUT naming each field, whoever the caller is.
 */
export function inputSanitationPlugin(options: InputSanitationOptions = {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problems = inputProblems(schema, document, operation, request.variables ?? {}, options);
          if (problems.length > 0) throw inputProblemsError(problems);
        },
      };
    },
  };
}
