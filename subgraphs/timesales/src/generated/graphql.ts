import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TimeSaleRecord } from '../domain/time-sales.js';
import type { TimeSaleProductRecord } from '../domain/sale-products.js';
import type { ProductReference } from '../domain/catalog-projection.js';
import type { TimesalesContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, ISO-8601 in UTC (e.g. 2026-11-25T03:00:00.000Z). */
  DateTime: { input: Date; output: Date; }
  _FieldSet: { input: any; output: any; }
};

export type CreateTimeSaleInput = {
  endAt: Scalars['DateTime']['input'];
  products?: InputMaybe<Array<TimeSaleProductInput>>;
  /** In the future, before endAt. */
  startAt: Scalars['DateTime']['input'];
  /** 1 to 100 characters. */
  title: Scalars['String']['input'];
};

/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Not once the sale has ended (CONFLICT). The SELLER must also own the product's brand. */
  addTimeSaleProduct: TimeSaleProduct;
  createTimeSale: TimeSale;
  /** Soft delete, only before the sale starts (CONFLICT afterwards). */
  deleteTimeSale: Scalars['Boolean']['output'];
  updateTimeSale: TimeSale;
  updateTimeSaleProduct: TimeSaleProduct;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationAddTimeSaleProductArgs = {
  input: TimeSaleProductInput;
  timeSaleId: Scalars['ID']['input'];
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationCreateTimeSaleArgs = {
  input: CreateTimeSaleInput;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationDeleteTimeSaleArgs = {
  id: Scalars['ID']['input'];
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationUpdateTimeSaleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTimeSaleInput;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationUpdateTimeSaleProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTimeSaleProductInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A catalog product; the timesales subgraph adds its sales. */
export type Product = {
  __typename?: 'Product';
  /** The sale offer a shopper can buy right now: selling at this instant with quantity left (null: none). */
  activeTimeSale: Maybe<TimeSaleProduct>;
  id: Scalars['ID']['output'];
  /** Sales the product is in that have not ended, soonest first. */
  timeSales: Array<TimeSale>;
};

export type Query = {
  __typename?: 'Query';
  timeSale: Maybe<TimeSale>;
  /** By startAt, soonest first. */
  timeSales: TimeSaleConnection;
};


export type QueryTimeSaleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTimeSalesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TimeSaleStatus>;
};

/** A time-limited sale: discounted products, each with a limited quantity. */
export type TimeSale = {
  __typename?: 'TimeSale';
  createdAt: Scalars['DateTime']['output'];
  endAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** In the order they were added. */
  products: Array<TimeSaleProduct>;
  startAt: Scalars['DateTime']['output'];
  /** From the service clock and the remaining quantities. */
  status: TimeSaleStatus;
  title: Scalars['String']['output'];
};

export type TimeSaleConnection = {
  __typename?: 'TimeSaleConnection';
  edges: Array<TimeSaleEdge>;
  pageInfo: PageInfo;
};

export type TimeSaleEdge = {
  __typename?: 'TimeSaleEdge';
  cursor: Scalars['String']['output'];
  node: TimeSale;
};

/** A product in a time sale, with its discount and quantity. */
export type TimeSaleProduct = {
  __typename?: 'TimeSaleProduct';
  /** Percent off the product's regular price, 1 to 99. */
  discountRate: Scalars['Int']['output'];
  endAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Most one shopper may hold at once; null: no limit. */
  perUserLimit: Maybe<Scalars['Int']['output']>;
  product: Product;
  /** totalQuantity − soldQuantity (live). */
  remainingQuantity: Scalars['Int']['output'];
  /** Held by orders (live). */
  soldQuantity: Scalars['Int']['output'];
  /** When this product sells: the sale's window, or a narrower one of its own. */
  startAt: Scalars['DateTime']['output'];
  timeSale: TimeSale;
  totalQuantity: Scalars['Int']['output'];
};

export type TimeSaleProductInput = {
  /** 1 to 99 (%). */
  discountRate: Scalars['Int']['input'];
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At least 1; absent or null: no limit. */
  perUserLimit?: InputMaybe<Scalars['Int']['input']>;
  /** A catalog product (BAD_USER_INPUT while the timesales subgraph has not heard of it). */
  productId: Scalars['ID']['input'];
  /** A narrower window inside the sale's; absent: the sale's. */
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At least 1. */
  totalQuantity: Scalars['Int']['input'];
};

export type TimeSaleStatus =
  /** From endAt on. */
  | 'ENDED'
  /** From startAt (inclusive) to endAt (exclusive), with quantity left. */
  | 'LIVE'
  /** Before startAt. */
  | 'SCHEDULED'
  /** Live, but every product of the sale is sold out (LIVE again if an order gives quantity back). */
  | 'SOLD_OUT';

/** Only the fields given change. Once the sale has started only title and a later endAt; never after it ended. */
export type UpdateTimeSaleInput = {
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Only the fields given change (null perUserLimit removes the limit; null startAt or endAt follows the
 * sale's). Once the product sells, only changes that cannot hurt shoppers: a higher discountRate, a
 * totalQuantity not below what is sold, a higher or no perUserLimit, a later endAt.
 */
export type UpdateTimeSaleProductInput = {
  discountRate?: InputMaybe<Scalars['Int']['input']>;
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  perUserLimit?: InputMaybe<Scalars['Int']['input']>;
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  totalQuantity?: InputMaybe<Scalars['Int']['input']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Product: Product;
  TimeSale: TimeSale;
  TimeSaleProduct: TimeSaleProduct;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  TimeSale:
    ( { __typename: 'TimeSale' }
    & GraphQLRecursivePick<FederationTypes['TimeSale'], {"id":true}> );
  TimeSaleProduct:
    ( { __typename: 'TimeSaleProduct' }
    & GraphQLRecursivePick<FederationTypes['TimeSaleProduct'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CreateTimeSaleInput: CreateTimeSaleInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductReference>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  TimeSale: ResolverTypeWrapper<TimeSaleRecord>;
  TimeSaleConnection: ResolverTypeWrapper<Omit<TimeSaleConnection, 'edges'> & { edges: Array<ResolversTypes['TimeSaleEdge']> }>;
  TimeSaleEdge: ResolverTypeWrapper<Omit<TimeSaleEdge, 'node'> & { node: ResolversTypes['TimeSale'] }>;
  TimeSaleProduct: ResolverTypeWrapper<TimeSaleProductRecord>;
  TimeSaleProductInput: TimeSaleProductInput;
  TimeSaleStatus: TimeSaleStatus;
  UpdateTimeSaleInput: UpdateTimeSaleInput;
  UpdateTimeSaleProductInput: UpdateTimeSaleProductInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateTimeSaleInput: CreateTimeSaleInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Product: ProductReference;
  Query: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  TimeSale: TimeSaleRecord;
  TimeSaleConnection: Omit<TimeSaleConnection, 'edges'> & { edges: Array<ResolversParentTypes['TimeSaleEdge']> };
  TimeSaleEdge: Omit<TimeSaleEdge, 'node'> & { node: ResolversParentTypes['TimeSale'] };
  TimeSaleProduct: TimeSaleProductRecord;
  TimeSaleProductInput: TimeSaleProductInput;
  UpdateTimeSaleInput: UpdateTimeSaleInput;
  UpdateTimeSaleProductInput: UpdateTimeSaleProductInput;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addTimeSaleProduct?: Resolver<ResolversTypes['TimeSaleProduct'], ParentType, ContextType, RequireFields<MutationAddTimeSaleProductArgs, 'input' | 'timeSaleId'>>;
  createTimeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType, RequireFields<MutationCreateTimeSaleArgs, 'input'>>;
  deleteTimeSale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteTimeSaleArgs, 'id'>>;
  updateTimeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType, RequireFields<MutationUpdateTimeSaleArgs, 'id' | 'input'>>;
  updateTimeSaleProduct?: Resolver<ResolversTypes['TimeSaleProduct'], ParentType, ContextType, RequireFields<MutationUpdateTimeSaleProductArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  activeTimeSale?: Resolver<Maybe<ResolversTypes['TimeSaleProduct']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  timeSales?: Resolver<Array<ResolversTypes['TimeSale']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  timeSale?: Resolver<Maybe<ResolversTypes['TimeSale']>, ParentType, ContextType, RequireFields<QueryTimeSaleArgs, 'id'>>;
  timeSales?: Resolver<ResolversTypes['TimeSaleConnection'], ParentType, ContextType, RequireFields<QueryTimeSalesArgs, 'first'>>;
}>;

export type TimeSaleResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSale'] = ResolversParentTypes['TimeSale'], FederationReferenceType extends FederationReferenceTypes['TimeSale'] = FederationReferenceTypes['TimeSale']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TimeSale']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['TimeSaleProduct']>, ParentType, ContextType>;
  startAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TimeSaleStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TimeSaleConnectionResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleConnection'] = ResolversParentTypes['TimeSaleConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['TimeSaleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type TimeSaleEdgeResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleEdge'] = ResolversParentTypes['TimeSaleEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType>;
}>;

export type TimeSaleProductResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleProduct'] = ResolversParentTypes['TimeSaleProduct'], FederationReferenceType extends FederationReferenceTypes['TimeSaleProduct'] = FederationReferenceTypes['TimeSaleProduct']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TimeSaleProduct']> | FederationReferenceType, FederationReferenceType, ContextType>;
  discountRate?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  perUserLimit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  remainingQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  soldQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  timeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType>;
  totalQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = TimesalesContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  TimeSale?: TimeSaleResolvers<ContextType>;
  TimeSaleConnection?: TimeSaleConnectionResolvers<ContextType>;
  TimeSaleEdge?: TimeSaleEdgeResolvers<ContextType>;
  TimeSaleProduct?: TimeSaleProductResolvers<ContextType>;
}>;

