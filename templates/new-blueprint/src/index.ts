// bluesynth loads the class `Blueprint` from here, and the wizard reads the interface `Options`.
export * from './blueprint';
