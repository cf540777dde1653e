// Binding tests on Linux: the generated Swift bindings against the host library.
uniffiEnsureParasolFfiInitialized()
profileTests()
rightsTests()
helplinesTests()
journalTests()
alertsTests()
duressTests()
Harness.finish()
