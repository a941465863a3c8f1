import { subgraphCodegen } from '../../codegen.base';

export default subgraphCodegen('../context.js#CouponsContext', {
  Coupon: '../domain/coupons.js#CouponRecord',
  CouponIssue: '../domain/issues.js#CouponIssueRecord',
  User: '../domain/issues.js#UserReference',
  CouponClaimUpdate: '../domain/claims.js#ClaimUpdate',
});
