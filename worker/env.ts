/** The Worker's bindings: `[vars]` from wrangler.toml and secrets (`wrangler secret put`, `.dev.vars`). */
export interface Env {
  IAM_ENDPOINT?: string
  STS_ENDPOINT?: string
  CACHE_TTL_SECONDS?: string
  CACHE_TTL_OVERRIDES?: string
  STALE_IF_ERROR_SECONDS?: string
  NEGATIVE_CACHE_SECONDS?: string
  UPSTREAM_TIMEOUT_MS?: string
  CORS_ORIGINS?: string
  AWS_ACCESS_KEY_ID?: string
  AWS_SECRET_ACCESS_KEY?: string
  AWS_SESSION_TOKEN?: string
  AWS_ROLE_ARN?: string
  PROXY_KEYS?: string
  PROXY_TOKENS?: string
}
