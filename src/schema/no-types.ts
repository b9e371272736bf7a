/** What projen and constructs resolve to while a schema is built (see framework-types.ts): nothing. */
export {};
