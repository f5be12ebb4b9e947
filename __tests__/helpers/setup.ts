import { Testing } from "cdktf";
// Brings the matcher types (toHaveResourceWithProperties, toBeValidTerraform, ...) into every test.
import "cdktf/lib/testing/adapters/jest";

// Registers cdktf's matchers with jest.
Testing.setupJest();
