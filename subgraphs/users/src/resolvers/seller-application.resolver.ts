import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actingViewer, type UsersContext } from '../context.js';
import { formatBusinessNumber } from '../domain/korean-numbers.js';
import { canSeeDecider, type SellerApplicationRecord } from '../domain/seller-applications.js';
import type { UserRecord } from '../domain/users.js';
import {
  ApplyAsSellerInput,
  RejectSellerApplicationArgs,
  SellerApplication,
  SellerApplicationConnection,
  SellerApplicationsArgs,
  type SellerContact,
} from '../schema/seller-application.js';

const applicationId = (description: string) => Arg('id', () => ID, { description });

/** Seller onboarding: a customer applies, an admin decides. The applicant reads theirs on `me { sellerApplications }`. */
@Resolver(() => SellerApplication)
export class SellerApplicationResolver {
  @Mutation(() => SellerApplication, {
    description:
      'A signed-in CUSTOMER applies to become a seller (SELLER or ADMIN: FORBIDDEN). CONFLICT while you have a ' +
      'PENDING application, or when another seller or applicant holds the business registration number. ' +
      'BAD_USER_INPUT names each invalid field.',
  })
  applyAsSeller(
    @Arg('input', () => ApplyAsSellerInput, { description: 'The business and who to contact.' })
    input: ApplyAsSellerInput,
    @Ctx() context: UsersContext,
  ): Promise<SellerApplicationRecord> {
    return context.sellerApplications.apply(context.viewer, input);
  }

  @Query(() => SellerApplicationConnection, { description: 'ADMIN only: seller applications, newest first.' })
  sellerApplications(@Args(() => SellerApplicationsArgs) args: SellerApplicationsArgs, @Ctx() context: UsersContext) {
    return context.sellerApplications.list(context.viewer, args);
  }

  @Query(() => SellerApplication, {
    description: 'One seller application, for its applicant or an admin. NOT_FOUND for anyone else.',
  })
  sellerApplication(
    @applicationId('The application id.') id: string,
    @Ctx() context: UsersContext,
  ): Promise<SellerApplicationRecord> {
    return context.sellerApplications.get(context.viewer, id);
  }

  @Mutation(() => SellerApplication, {
    description:
      'ADMIN only: approves a PENDING application. The applicant becomes a SELLER at once: their access tokens stop working and their next refresh or sign-in carries SELLER. CONFLICT when it is not PENDING (decided already, or withdrawn because the account was deleted) or the applicant is no longer a CUSTOMER.',
  })
  async approveSellerApplication(
    @applicationId('The PENDING application.') id: string,
    @Ctx() context: UsersContext,
  ): Promise<SellerApplicationRecord> {
    const application = await context.sellerApplications.approve(context.viewer, id);
    context.logger.info({ applicationId: id, targetUserId: application.userId }, 'seller application approved');
    return application;
  }

  @Mutation(() => SellerApplication, {
    description:
      'ADMIN only: rejects a PENDING application with a reason the applicant reads; they may apply again. CONFLICT when it is not PENDING.',
  })
  async rejectSellerApplication(
    @Args(() => RejectSellerApplicationArgs) { id, reason }: RejectSellerApplicationArgs,
    @Ctx() context: UsersContext,
  ): Promise<SellerApplicationRecord> {
    const application = await context.sellerApplications.reject(context.viewer, id, reason);
    context.logger.info({ applicationId: id, targetUserId: application.userId }, 'seller application rejected');
    return application;
  }

  @FieldResolver()
  businessRegistrationNumber(@Root() application: SellerApplicationRecord): string {
    return formatBusinessNumber(application.businessRegistrationNumber);
  }

  @FieldResolver()
  contact(@Root() application: SellerApplicationRecord): SellerContact | null {
    const { contactName: name, contactPhone: phone, contactEmail: email } = application;
    return name !== null && phone !== null && email !== null ? { name, phone, email } : null;
  }

  @FieldResolver()
  applicant(@Root() application: SellerApplicationRecord, @Ctx() context: UsersContext): Promise<UserRecord | null> {
    return context.loaders.userById.load(application.userId);
  }

  @FieldResolver()
  decidedBy(
    @Root() application: SellerApplicationRecord,
    @Ctx() context: UsersContext,
  ): Promise<UserRecord | null> | null {
    if (application.decidedBy === null || !canSeeDecider(actingViewer(context))) return null;
    return context.loaders.userById.load(application.decidedBy);
  }
}
