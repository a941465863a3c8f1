import { subgraphCodegen } from '../../codegen.base';

export default subgraphCodegen('../context.js#UsersContext', {
  User: '../domain/users.js#UserRecord',
  PointAccount: '../domain/points.js#PointAccountRecord',
  PointEntry: '../domain/points.js#PointEntryRecord',
  AuthPayload: '../domain/sessions.js#Session',
});
