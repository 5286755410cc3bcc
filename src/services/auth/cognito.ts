/**
 * Cognito identity provider: sign-up, confirmation, sign-in (USER_PASSWORD_AUTH), refresh
 * (REFRESH_TOKEN_AUTH) and sign-out (GlobalSignOut) through
 * `@aws-sdk/client-cognito-identity-provider`; access tokens verified by
 * {@link CognitoTokenVerifier} (aws-jwt-verify). The app client has no secret, as the SPA's.
 */
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  AdminDeleteUserCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  type CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../../core/errors.js';
import { CognitoTokenVerifier } from '../../core/security.js';
import type { IdentityProvider, TokenSet } from './provider.js';

/** Settings of the Cognito provider. */
export interface CognitoOptions {
  region: string;
  userPoolId: string;
  clientId: string;
  /** An emulator's URL; unset on AWS. */
  endpoint?: string;
  /** Where to fetch the pool's JWKS when not from Cognito's https URL (emulator). */
  jwksUrl?: string;
}

/** Maps Cognito's exceptions to the API's errors. */
function translate(err: unknown): unknown {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : 'Cognito error';
  switch (name) {
    case 'UsernameExistsException':
      return new ConflictError('An account with this email already exists');
    case 'InvalidPasswordException':
      return new ValidationError(message, [
        { loc: ['body', 'password'], msg: message, type: 'weak_password' },
      ]);
    case 'InvalidParameterException':
      return new ValidationError(message);
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      return new ValidationError(message, [
        { loc: ['body', 'code'], msg: message, type: 'invalid_code' },
      ]);
    case 'UserNotConfirmedException':
      return new AppError('USER_NOT_CONFIRMED', 'Confirm your email before signing in');
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new UnauthorizedError('Incorrect email or password, or an expired session');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new AppError('RATE_LIMITED', message);
    default:
      return err;
  }
}

/** The Cognito provider. One per process; clients are reused across requests. */
export class CognitoIdentityProvider implements IdentityProvider {
  readonly mode = 'cognito' as const;
  readonly verifier: CognitoTokenVerifier;
  private readonly client: CognitoIdentityProviderClient;

  constructor(private readonly options: CognitoOptions) {
    const config: CognitoIdentityProviderClientConfig = { region: options.region };
    if (options.endpoint) {
      config.endpoint = options.endpoint;
      if (!process.env.AWS_ACCESS_KEY_ID)
        config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    }
    this.client = new CognitoIdentityProviderClient(config);
    this.verifier = new CognitoTokenVerifier({
      userPoolId: options.userPoolId,
      clientId: options.clientId,
      ...(options.jwksUrl ? { jwksUrl: options.jwksUrl } : {}),
    });
  }

  async signUp(email: string, password: string): Promise<{ userId: string; confirmed: boolean }> {
    const out = await this.call(() =>
      this.client.send(
        new SignUpCommand({
          ClientId: this.options.clientId,
          Username: email,
          Password: password,
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      ),
    );
    return { userId: String(out.UserSub), confirmed: Boolean(out.UserConfirmed) };
  }

  async confirm(email: string, code: string): Promise<void> {
    await this.call(() =>
      this.client.send(
        new ConfirmSignUpCommand({
          ClientId: this.options.clientId,
          Username: email,
          ConfirmationCode: code,
        }),
      ),
    );
  }

  async logIn(email: string, password: string): Promise<TokenSet & { userId: string }> {
    const out = await this.call(() =>
      this.client.send(
        new InitiateAuthCommand({
          ClientId: this.options.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken)
      throw new UnauthorizedError('Sign-in needs another step this API does not support');
    const claims = await this.verifier.verify(result.AccessToken);
    return {
      userId: claims.sub,
      accessToken: result.AccessToken,
      ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
      expiresIn: result.ExpiresIn ?? 3600,
      tokenType: 'Bearer',
    };
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const out = await this.call(() =>
      this.client.send(
        new InitiateAuthCommand({
          ClientId: this.options.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken) throw new UnauthorizedError('Invalid or expired refresh token');
    return {
      accessToken: result.AccessToken,
      ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
      expiresIn: result.ExpiresIn ?? 3600,
      tokenType: 'Bearer',
    };
  }

  async logOut(_userId: string, accessToken: string): Promise<void> {
    await this.call(() => this.client.send(new GlobalSignOutCommand({ AccessToken: accessToken })));
  }

  async emailOf(_userId: string, accessToken: string): Promise<string | null> {
    const out = await this.call(() =>
      this.client.send(new GetUserCommand({ AccessToken: accessToken })),
    );
    return out.UserAttributes?.find((a) => a.Name === 'email')?.Value ?? null;
  }

  async findUserId(email: string): Promise<string | null> {
    if (email.includes('"') || email.includes('\\')) return null;
    const out = await this.call(() =>
      this.client.send(
        new ListUsersCommand({
          UserPoolId: this.options.userPoolId,
          Filter: `email = "${email}"`,
          Limit: 1,
        }),
      ),
    );
    const user = out.Users?.[0];
    return user?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? user?.Username ?? null;
  }

  async passwordOwner(email: string, password: string): Promise<string | null> {
    try {
      return (await this.logIn(email, password)).userId;
    } catch (err) {
      if (err instanceof UnauthorizedError) return null;
      throw err;
    }
  }

  /**
   * Deletes the Cognito user with `AdminDeleteUser`, by its `sub` (Cognito accepts a local user's
   * `sub` as `Username`). The auth function's role may call exactly this action on this pool. A
   * user already gone counts 0, so an interrupted account deletion can be repeated.
   */
  async deleteAccount(userId: string): Promise<number> {
    try {
      await this.call(() =>
        this.client.send(
          new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: userId }),
        ),
      );
      return 1;
    } catch (err) {
      if (err instanceof UnauthorizedError) return 0; // UserNotFoundException, translated
      throw err;
    }
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw translate(err);
    }
  }
}
