export const NODE_FLAGS: {
  readonly backend: readonly string[];
  readonly frontend: readonly string[];
};
