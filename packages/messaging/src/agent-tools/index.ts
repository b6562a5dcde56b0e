export {
  executeMessagingToolCall,
  type MessagingTool,
  type MessagingToolsOptions,
  messagingTools,
} from './messaging-tools.js';
