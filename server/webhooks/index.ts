export { createWebhookDispatcher, type DeliveryBody, type WebhookDispatcher, type WebhookDispatcherOptions } from "./dispatcher";
export { compileFilter, industriesOf } from "./filter";
export { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, newSecret, signBody, verifySignature } from "./signature";
export { createWebhookStore, MAX_WEBHOOKS, WEBHOOK_EVENTS, WEBHOOK_ID, type WebhookEvent, type WebhookRecord, type WebhookState } from "./store";
export { checkWebhookUrl, isPrivateAddress, MAX_URL_LENGTH, WebhookUrlError } from "./url";
