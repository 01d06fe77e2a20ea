/// <reference lib="webworker" />
/**
 * web-llm's engine in a Web Worker (its own worker protocol: WebWorkerMLCEngineHandler on
 * this side, WebWorkerMLCEngine in the app), so downloading, compiling and generating never
 * block the page.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent): void => handler.onmessage(message);
