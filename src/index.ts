// Probot entry point (`probot run ./dist/index.js`).
import { createApp } from './app.js';

export default createApp();
