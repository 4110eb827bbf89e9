declare module 'virtual:sigv4-suite' {
  const suite: { root: string; cases: Record<string, Record<string, string>> }
  export default suite
}

declare module 'virtual:sigv4a-suite' {
  const suite: { root: string; cases: Record<string, Record<string, string>> }
  export default suite
}
