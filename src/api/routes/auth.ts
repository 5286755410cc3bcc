/** `/auth/*`: sign-up, confirmation, sign-in, refresh, sign-out and the profile. */
import { defineRoute } from '../route.js';
import {
  ConfirmBody,
  ConfirmResult,
  DeleteAccountBody,
  DeleteAccountResult,
  LogInBody,
  LogInResult,
  RefreshBody,
  RefreshResult,
  SignUpBody,
  SignUpResult,
  UpdateMeBody,
  User,
} from '../schemas/auth.js';
import { deleteAccount } from '../../services/auth/deletion.js';
import * as auth from '../../services/auth/index.js';

const tags = ['Auth'];

/** The routes of this module, for `createRouter`. */
export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/signup',
    tags,
    summary: 'Create an account',
    auth: false,
    body: SignUpBody,
    response: SignUpResult,
    status: 201,
    errors: ['CONFLICT'],
    handler: ({ deps, body }) => auth.signUp(deps, body),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/confirm',
    tags,
    summary: 'Confirm a sign-up with the emailed code',
    auth: false,
    body: ConfirmBody,
    response: ConfirmResult,
    errors: ['NOT_FOUND'],
    handler: ({ deps, body }) => auth.confirmSignUp(deps, body),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/login',
    tags,
    summary: 'Sign in with email and password',
    auth: false,
    body: LogInBody,
    response: LogInResult,
    errors: ['UNAUTHORIZED', 'USER_NOT_CONFIRMED'],
    handler: ({ deps, body }) => auth.logIn(deps, body),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/refresh',
    tags,
    summary: 'Exchange a refresh token for a new access token',
    description:
      'Local mode rotates the refresh token: the response carries a new one and the old one stops working.',
    auth: false,
    body: RefreshBody,
    response: RefreshResult,
    errors: ['UNAUTHORIZED'],
    handler: ({ deps, body }) => auth.refresh(deps, body.refreshToken),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    tags,
    summary: 'Sign out everywhere',
    description:
      'Revokes every refresh token of the user. Access tokens expire on their own (15 minutes).',
    response: null,
    handler: ({ ctx, c }) => auth.logOut(ctx, c.var.accessToken),
  }),
  defineRoute({
    method: 'get',
    path: '/auth/me',
    tags,
    summary: "The signed-in user's profile",
    response: User,
    handler: ({ ctx, c }) => auth.getMe(ctx, c.var.accessToken),
  }),
  defineRoute({
    method: 'patch',
    path: '/auth/me',
    tags,
    summary: 'Update display name or time zone',
    body: UpdateMeBody,
    response: User,
    handler: ({ ctx, c, body }) => auth.updateMe(ctx, c.var.accessToken, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/auth/me',
    tags,
    summary: 'Delete the account and all its data',
    description:
      'Needs `{password}`, or an access token issued within the last 5 minutes (otherwise 403). Deletes every item of the user in batches — entities, their children and links, the ledger, preferences, refresh tokens, idempotency records — the upload files under the user’s S3 prefix, and the sign-in account (local account, or the Cognito user), and answers the counts by kind. Afterwards the token gets 401 on `/auth/me` and on every route that writes.',
    body: DeleteAccountBody,
    bodyOptional: true,
    deletingAccount: true,
    response: DeleteAccountResult,
    errors: ['FORBIDDEN'],
    handler: ({ ctx, c, body }) =>
      deleteAccount(ctx, body.password, {
        accessToken: c.var.accessToken,
        issuedAt: c.var.tokenIssuedAt,
      }),
  }),
];
