/** The TokenRequest (authentication.k8s.io/v1) wire schema: its body is decoded against it as Go's decoder would. */
import { Obj, Opt, Str, Int64, List, type Static } from '../api/schema.js';
import { kindProps } from '../api/meta.js';

const P = 'io.k8s.api.authentication.v1.';

const BoundObjectReference = Obj(P + 'BoundObjectReference', 'The object a token is bound to.', {
  kind: Opt(Str('Kind of the referent: Pod or Secret.')),
  apiVersion: Opt(Str('API version of the referent.')),
  name: Opt(Str('Name of the referent.')),
  uid: Opt(Str('UID of the referent.')),
});

/** TokenRequestSpec: audiences, lifetime and binding of the requested token. */
export const TokenRequestSpecSchema = Obj(P + 'TokenRequestSpec', 'The parameters of a requested token.', {
  audiences: Opt(List(Str('An audience.'), 'Intended audiences of the token.')),
  expirationSeconds: Opt(Int64('The requested duration of validity of the token.')),
  boundObjectRef: Opt(BoundObjectReference),
});

/** TokenRequest: the body of a POST to serviceaccounts/token. */
export const TokenRequestSchema = Obj(P + 'TokenRequest', 'Requests a token for a given service account.', kindProps({
  spec: Opt(TokenRequestSpecSchema),
  status: Opt(Obj(P + 'TokenRequestStatus', 'The result of a token request.', { token: Opt(Str('The opaque bearer token.')), expirationTimestamp: Opt(Str('When the token expires.')) })),
}));

/** The spec of a TokenRequest. */
export type TokenRequestSpec = Static<typeof TokenRequestSpecSchema>;
