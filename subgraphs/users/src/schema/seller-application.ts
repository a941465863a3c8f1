import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { SellerApplicationStatus as SellerApplicationStatusName } from '../generated/prisma/client.js';
import { User } from './user.js';

export const SellerApplicationStatus = graphqlEnum<SellerApplicationStatusName>(
  'SellerApplicationStatus',
  'Where an application to become a seller stands.',
  {
    PENDING: 'Waiting for an admin to decide.',
    APPROVED: 'Approved: the applicant became a SELLER.',
    REJECTED: 'Rejected by an admin, with a reason; the applicant may apply again.',
    WITHDRAWN: "Closed without a decision: the applicant's account was deleted.",
  },
);

@ObjectType({ description: 'Who to contact about a seller application.' })
export class SellerContact {
  @Field(() => String, { description: 'The contact person.' })
  name!: string;

  @Field(() => String, { description: 'Korean phone number, written 010-1234-5678, 02-123-4567 or 1588-1234.' })
  phone!: string;

  @Field(() => String, { description: 'Email address (lower case).' })
  email!: string;
}

@ObjectType({
  description: "A customer's application to sell on Radiata. Seen only by its applicant and by admins.",
})
export class SellerApplication {
  @Field(() => ID, { description: 'The application id.' })
  id!: string;

  @Field(() => SellerApplicationStatus, { description: 'Where it stands.' })
  status!: SellerApplicationStatusName;

  @Field(() => String, { description: 'The business name, as registered.' })
  businessName!: string;

  @Field(() => String, { description: 'The business registration number (사업자등록번호), written 123-45-67890.' })
  businessRegistrationNumber!: string;

  @Field(() => SellerContact, {
    nullable: true,
    description: "Who to contact about it (null once erased with the applicant's account).",
  })
  contact!: SellerContact | null;

  @Field(() => User, { nullable: true, description: "Who applied (null once the applicant's account is deleted)." })
  applicant!: User | null;

  @Field(() => DateTime, { description: 'When it was submitted.' })
  createdAt!: Date;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When it was approved, rejected or withdrawn; null while PENDING.',
  })
  decidedAt!: Date | null;

  @Field(() => User, {
    nullable: true,
    description: 'The admin who approved or rejected it. Visible to admins; null otherwise.',
  })
  decidedBy!: User | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was rejected (shown to the applicant); null unless REJECTED.',
  })
  rejectionReason!: string | null;
}

export const SellerApplicationConnection = connectionType(SellerApplication, { noun: 'seller application' });

@InputType({ description: 'Who to contact about a seller application.' })
export class SellerContactInput {
  @Field(() => String, { description: 'The contact person, 1 to 100 characters.' })
  name!: string;

  @Field(() => String, {
    description:
      'A Korean mobile, landline or company number, with or without dashes (010-1234-5678, 02-123-4567, 1588-1234).',
  })
  phone!: string;

  @Field(() => String, { description: 'An email address, at most 254 characters.' })
  email!: string;
}

@InputType({ description: 'An application to become a seller.' })
export class ApplyAsSellerInput {
  @Field(() => String, { description: 'The business name, 1 to 100 characters.' })
  businessName!: string;

  @Field(() => String, {
    description:
      'The business registration number (사업자등록번호): 10 digits with a valid check digit, with or without dashes (123-45-67890).',
  })
  businessRegistrationNumber!: string;

  @Field(() => SellerContactInput, { description: 'Who to contact about the application.' })
  contact!: SellerContactInput;
}

@ArgsType()
export class SellerApplicationsArgs {
  @Field(() => SellerApplicationStatus, {
    nullable: true,
    description: 'Only applications in this status; all when omitted.',
  })
  status?: SellerApplicationStatusName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class RejectSellerApplicationArgs {
  @Field(() => ID, { description: 'The PENDING application.' })
  id!: string;

  @Field(() => String, { description: 'Why, 1 to 500 characters: the applicant reads it.' })
  reason!: string;
}
