// Stands in for @aws-sdk/credential-provider-node in the Lambda bundles. Lambda hands a function
// its role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), the first source of the SDK's default chain; the rest of the chain (shared
// ini files, SSO, login, process, web identity, container and instance metadata, with the nested
// STS/SSO/sign-in clients they bring, ≈ 100 KiB minified) can never answer there. The clients
// call `defaultProvider` only when no explicit credentials are configured.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
