export {
  createFakeClock,
  defaultFakedGlobals,
  type FakeClock,
  type FakeClockOptions,
  type FakedGlobal,
} from './fake-clock.js';
