export { renderEmail, precompileEmailTemplates, precompileEmailTemplatesApart, clearEmailTemplateCache } from './email-renderer';
export type { RenderedEmail, RenderEmailOptions } from './email-renderer';
export { EMAIL_KINDS } from './email-kinds';
export type {
  EmailKind,
  EmailDataByKind,
  EstablishmentRef,
  SignatureInvitationData,
  SignatureReminderData,
  SignatureCompletedData,
  StaffRefusalData,
  StaffQuestionData,
  RequestExpiredData,
  DeliveryFailedData,
  FailedEmailKind,
  StaffInvitationData,
  PasswordResetData,
} from './email-kinds';
export { MailTransport } from './mail-transport';
export type { MailTransportOptions, MailRecipient, OutgoingMail, SentMail } from './mail-transport';
export { MailDeliveryError, isMailDeliveryError, classifySmtpError } from './mail-errors';
export type { MailErrorCode } from './mail-errors';
export { isValidEmailAddress } from './mail-address';
export { DevMailbox } from './dev-mailbox';
export type { ReceivedMail, DevMailboxOptions } from './dev-mailbox';
export { renderMailboxPage, MAILBOX_PAGE_CSS } from './mailbox-page';
export type { MailboxPageOptions } from './mailbox-page';
export { emailSamples, primaryLinkOf } from './email-samples';
