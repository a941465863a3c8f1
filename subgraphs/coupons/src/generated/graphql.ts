import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CouponRecord } from '../domain/coupons.js';
import type { CouponIssueRecord, UserReference } from '../domain/issues.js';
import type { ClaimUpdate } from '../domain/claims.js';
import type { CouponsContext } from '../context.js';
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

export type ClaimCouponResult = {
  __typename?: 'ClaimCouponResult';
  /** ACCEPTED only: follow it with the couponClaimResult subscription. */
  claimId: Maybe<Scalars['ID']['output']>;
  outcome: ClaimOutcome;
  /** RATE_LIMITED only. */
  retryAfterMs: Maybe<Scalars['Int']['output']>;
};

export type ClaimOutcome =
  /** The claim is durably recorded: the coupon is yours. ISSUED follows (couponClaimResult). */
  | 'ACCEPTED'
  | 'ALREADY_CLAIMED'
  | 'CLOSED'
  | 'NOT_FOUND'
  | 'NOT_OPEN_YET'
  /** Too many claims in a short time: wait retryAfterMs. */
  | 'RATE_LIMITED'
  | 'SOLD_OUT';

export type ClaimStatus =
  | 'ISSUED';

export type Coupon = {
  __typename?: 'Coupon';
  /** Claims accepted so far (live, from the claim counter). */
  claimedQuantity: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** AMOUNT coupons: won. */
  discountAmount: Maybe<Scalars['Int']['output']>;
  /** RATE coupons: 1 to 100 (%). */
  discountRate: Maybe<Scalars['Int']['output']>;
  discountType: DiscountType;
  id: Scalars['ID']['output'];
  issueEndAt: Scalars['DateTime']['output'];
  /** Claims are accepted from issueStartAt (inclusive) to issueEndAt (exclusive). */
  issueStartAt: Scalars['DateTime']['output'];
  /** Issues persisted so far (follows claimedQuantity within moments). */
  issuedQuantity: Scalars['Int']['output'];
  maxOrderAmount: Maybe<Scalars['Int']['output']>;
  /** The order amount range the coupon applies to (inclusive; null is no bound). */
  minOrderAmount: Maybe<Scalars['Int']['output']>;
  /** FIRST_COME_FIRST_SERVED only: what is left to claim. */
  remainingQuantity: Maybe<Scalars['Int']['output']>;
  state: CouponState;
  title: Scalars['String']['output'];
  /** FIRST_COME_FIRST_SERVED only. */
  totalQuantity: Maybe<Scalars['Int']['output']>;
  type: CouponType;
  validDays: Maybe<Scalars['Int']['output']>;
  /** An issued coupon expires at validUntil, or validDays after it was issued. */
  validUntil: Maybe<Scalars['DateTime']['output']>;
};

export type CouponClaimUpdate = {
  __typename?: 'CouponClaimUpdate';
  claimId: Scalars['ID']['output'];
  issue: CouponIssue;
  status: ClaimStatus;
};

export type CouponConnection = {
  __typename?: 'CouponConnection';
  edges: Array<CouponEdge>;
  pageInfo: PageInfo;
};

export type CouponEdge = {
  __typename?: 'CouponEdge';
  cursor: Scalars['String']['output'];
  node: Coupon;
};

export type CouponFilter = {
  state?: InputMaybe<CouponState>;
};

/** A coupon held by a shopper. */
export type CouponIssue = {
  __typename?: 'CouponIssue';
  coupon: Coupon;
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  issuedAt: Scalars['DateTime']['output'];
  orderId: Maybe<Scalars['ID']['output']>;
  status: CouponIssueStatus;
  usedAt: Maybe<Scalars['DateTime']['output']>;
};

export type CouponIssueConnection = {
  __typename?: 'CouponIssueConnection';
  edges: Array<CouponIssueEdge>;
  pageInfo: PageInfo;
};

export type CouponIssueEdge = {
  __typename?: 'CouponIssueEdge';
  cursor: Scalars['String']['output'];
  node: CouponIssue;
};

export type CouponIssueStatus =
  | 'EXPIRED'
  | 'ISSUED'
  | 'USED';

export type CouponState =
  /** The issue window is over. */
  | 'ENDED'
  /** Claimable now. */
  | 'OPEN'
  /** The issue window has not started. */
  | 'UPCOMING';

export type CouponType =
  /** A limited total quantity, first come first served. */
  | 'FIRST_COME_FIRST_SERVED'
  /** No total limit; still one per shopper. */
  | 'UNLIMITED';

export type CreateCouponInput = {
  discountAmount?: InputMaybe<Scalars['Int']['input']>;
  discountRate?: InputMaybe<Scalars['Int']['input']>;
  discountType: DiscountType;
  issueEndAt: Scalars['DateTime']['input'];
  issueStartAt: Scalars['DateTime']['input'];
  maxOrderAmount?: InputMaybe<Scalars['Int']['input']>;
  minOrderAmount?: InputMaybe<Scalars['Int']['input']>;
  title: Scalars['String']['input'];
  /** Required for FIRST_COME_FIRST_SERVED, absent for UNLIMITED. */
  totalQuantity?: InputMaybe<Scalars['Int']['input']>;
  type: CouponType;
  validDays?: InputMaybe<Scalars['Int']['input']>;
  /** Exactly one of validUntil and validDays. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
};

export type DiscountType =
  /** discountAmount won off the order amount. */
  | 'AMOUNT'
  /** discountRate percent of the order amount (rounded down). */
  | 'RATE';

export type Mutation = {
  __typename?: 'Mutation';
  /** Signed-in users. Answers at once; see ClaimOutcome. */
  claimCoupon: ClaimCouponResult;
  /** ADMIN only. */
  createCoupon: Coupon;
  /** ADMIN only. Soft delete: the coupon can no longer be claimed; issued ones stay usable. */
  deleteCoupon: Scalars['Boolean']['output'];
  /** ADMIN only. */
  updateCoupon: Coupon;
};


export type MutationClaimCouponArgs = {
  couponId: Scalars['ID']['input'];
};


export type MutationCreateCouponArgs = {
  input: CreateCouponInput;
};


export type MutationDeleteCouponArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateCouponArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCouponInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  coupon: Maybe<Coupon>;
  /** Newest first. */
  coupons: CouponConnection;
};


export type QueryCouponArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCouponsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CouponFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The final result of an accepted claim, once it is persisted (at once if it already is). Only for the claimer. */
  couponClaimResult: CouponClaimUpdate;
};


export type SubscriptionCouponClaimResultArgs = {
  claimId: Scalars['ID']['input'];
};

/** Only the fields given change. The discount is fixed once issuing has started; the quantity never goes below what is claimed. */
export type UpdateCouponInput = {
  discountAmount?: InputMaybe<Scalars['Int']['input']>;
  discountRate?: InputMaybe<Scalars['Int']['input']>;
  issueEndAt?: InputMaybe<Scalars['DateTime']['input']>;
  issueStartAt?: InputMaybe<Scalars['DateTime']['input']>;
  maxOrderAmount?: InputMaybe<Scalars['Int']['input']>;
  minOrderAmount?: InputMaybe<Scalars['Int']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  totalQuantity?: InputMaybe<Scalars['Int']['input']>;
  validDays?: InputMaybe<Scalars['Int']['input']>;
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
};

export type User = {
  __typename?: 'User';
  /** The user's coupons, newest first. Only for the user themself and admins (null otherwise). */
  coupons: Maybe<CouponIssueConnection>;
  id: Scalars['ID']['output'];
};


export type UserCouponsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<CouponIssueStatus>;
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
  Coupon: Coupon;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Coupon:
    ( { __typename: 'Coupon' }
    & GraphQLRecursivePick<FederationTypes['Coupon'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ClaimCouponResult: ResolverTypeWrapper<ClaimCouponResult>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ClaimOutcome: ClaimOutcome;
  ClaimStatus: ClaimStatus;
  Coupon: ResolverTypeWrapper<CouponRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CouponClaimUpdate: ResolverTypeWrapper<ClaimUpdate>;
  CouponConnection: ResolverTypeWrapper<Omit<CouponConnection, 'edges'> & { edges: Array<ResolversTypes['CouponEdge']> }>;
  CouponEdge: ResolverTypeWrapper<Omit<CouponEdge, 'node'> & { node: ResolversTypes['Coupon'] }>;
  CouponFilter: CouponFilter;
  CouponIssue: ResolverTypeWrapper<CouponIssueRecord>;
  CouponIssueConnection: ResolverTypeWrapper<Omit<CouponIssueConnection, 'edges'> & { edges: Array<ResolversTypes['CouponIssueEdge']> }>;
  CouponIssueEdge: ResolverTypeWrapper<Omit<CouponIssueEdge, 'node'> & { node: ResolversTypes['CouponIssue'] }>;
  CouponIssueStatus: CouponIssueStatus;
  CouponState: CouponState;
  CouponType: CouponType;
  CreateCouponInput: CreateCouponInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DiscountType: DiscountType;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateCouponInput: UpdateCouponInput;
  User: ResolverTypeWrapper<UserReference>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ClaimCouponResult: ClaimCouponResult;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Coupon: CouponRecord;
  String: Scalars['String']['output'];
  CouponClaimUpdate: ClaimUpdate;
  CouponConnection: Omit<CouponConnection, 'edges'> & { edges: Array<ResolversParentTypes['CouponEdge']> };
  CouponEdge: Omit<CouponEdge, 'node'> & { node: ResolversParentTypes['Coupon'] };
  CouponFilter: CouponFilter;
  CouponIssue: CouponIssueRecord;
  CouponIssueConnection: Omit<CouponIssueConnection, 'edges'> & { edges: Array<ResolversParentTypes['CouponIssueEdge']> };
  CouponIssueEdge: Omit<CouponIssueEdge, 'node'> & { node: ResolversParentTypes['CouponIssue'] };
  CreateCouponInput: CreateCouponInput;
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  UpdateCouponInput: UpdateCouponInput;
  User: UserReference;
}>;

export type ClaimCouponResultResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['ClaimCouponResult'] = ResolversParentTypes['ClaimCouponResult']> = ResolversObject<{
  claimId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['ClaimOutcome'], ParentType, ContextType>;
  retryAfterMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type CouponResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['Coupon'] = ResolversParentTypes['Coupon'], FederationReferenceType extends FederationReferenceTypes['Coupon'] = FederationReferenceTypes['Coupon']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Coupon']> | FederationReferenceType, FederationReferenceType, ContextType>;
  claimedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  discountAmount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  discountRate?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  discountType?: Resolver<ResolversTypes['DiscountType'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issueEndAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issueStartAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issuedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxOrderAmount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  minOrderAmount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  remainingQuantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['CouponState'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  totalQuantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['CouponType'], ParentType, ContextType>;
  validDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type CouponClaimUpdateResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponClaimUpdate'] = ResolversParentTypes['CouponClaimUpdate']> = ResolversObject<{
  claimId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issue?: Resolver<ResolversTypes['CouponIssue'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ClaimStatus'], ParentType, ContextType>;
}>;

export type CouponConnectionResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponConnection'] = ResolversParentTypes['CouponConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CouponEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type CouponEdgeResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponEdge'] = ResolversParentTypes['CouponEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Coupon'], ParentType, ContextType>;
}>;

export type CouponIssueResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponIssue'] = ResolversParentTypes['CouponIssue']> = ResolversObject<{
  coupon?: Resolver<ResolversTypes['Coupon'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  orderId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CouponIssueStatus'], ParentType, ContextType>;
  usedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type CouponIssueConnectionResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponIssueConnection'] = ResolversParentTypes['CouponIssueConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CouponIssueEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type CouponIssueEdgeResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['CouponIssueEdge'] = ResolversParentTypes['CouponIssueEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['CouponIssue'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  claimCoupon?: Resolver<ResolversTypes['ClaimCouponResult'], ParentType, ContextType, RequireFields<MutationClaimCouponArgs, 'couponId'>>;
  createCoupon?: Resolver<ResolversTypes['Coupon'], ParentType, ContextType, RequireFields<MutationCreateCouponArgs, 'input'>>;
  deleteCoupon?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteCouponArgs, 'id'>>;
  updateCoupon?: Resolver<ResolversTypes['Coupon'], ParentType, ContextType, RequireFields<MutationUpdateCouponArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  coupon?: Resolver<Maybe<ResolversTypes['Coupon']>, ParentType, ContextType, RequireFields<QueryCouponArgs, 'id'>>;
  coupons?: Resolver<ResolversTypes['CouponConnection'], ParentType, ContextType, RequireFields<QueryCouponsArgs, 'first'>>;
}>;

export type SubscriptionResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  couponClaimResult?: SubscriptionResolver<ResolversTypes['CouponClaimUpdate'], "couponClaimResult", ParentType, ContextType, RequireFields<SubscriptionCouponClaimResultArgs, 'claimId'>>;
}>;

export type UserResolvers<ContextType = CouponsContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  coupons?: Resolver<Maybe<ResolversTypes['CouponIssueConnection']>, ParentType, ContextType, RequireFields<UserCouponsArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = CouponsContext> = ResolversObject<{
  ClaimCouponResult?: ClaimCouponResultResolvers<ContextType>;
  Coupon?: CouponResolvers<ContextType>;
  CouponClaimUpdate?: CouponClaimUpdateResolvers<ContextType>;
  CouponConnection?: CouponConnectionResolvers<ContextType>;
  CouponEdge?: CouponEdgeResolvers<ContextType>;
  CouponIssue?: CouponIssueResolvers<ContextType>;
  CouponIssueConnection?: CouponIssueConnectionResolvers<ContextType>;
  CouponIssueEdge?: CouponIssueEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

