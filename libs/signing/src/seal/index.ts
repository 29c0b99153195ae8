export { loadSealIdentity, ensureDevSealIdentity, type SealIdentity, type SealSubject } from './seal-identity';
export { signPdf, findPreparedSignature, type SignPdfOptions, type PreparedSignature } from './sign-pdf';
export { sealDocument, SEAL_FIELD_NAME, type SealOptions } from './seal-document';
export { cadesDetachedSignature, signedAttributes } from './cms';
export { SealError, type SealErrorCode } from './seal.errors';
export { readTlv, children, raw, oid, type Tlv } from './der';
export { sealScan } from './seal-scan';
