export const LOCAL_AUD: string
export interface AccessStandIn {
  teamDomain: string
  mint(claims: Record<string, unknown>, options?: { aud?: string; expiresIn?: string | number }): Promise<string>
  close(): Promise<void>
}
export function startAccessStandIn(): Promise<AccessStandIn>
