// A setup file of every test project (vitest.config.ts): vitest runs it before each test
// file, so each file's temp folders go when the file ends, isolated or not.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir';

afterAll(removeTempDirs);
