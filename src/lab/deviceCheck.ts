// The lab's view of the user's GPU: adapter, limits and a kernel self-check.
// Framework-free; runs in the Worker that owns the device, or in Node.

export { runSelfCheck, type SelfCheckResult } from '../engine/webgpu/selfCheck';
