export { loadSealIdentity, ensureDevSealIdentity, type SealIdentity, type SealSubject } from './seal-identity';
export { signPdf, signPdfTimestamped, findPreparedSignature, TIMESTAMPED_CONTENTS_BYTES, type SignPdfOptions, type PreparedSignature, type Timestamper } from './sign-pdf';
export { sealDocument, SEAL_FIELD_NAME, type SealOptions } from './seal-document';
export { cadesDetachedSignature, cadesSignatureValue, assembleCades, signedAttributes } from './cms';
export { SealError, TimestampError, type SealErrorCode, type TimestampErrorCode } from './seal.errors';
export { requestTimestamp, verifyTimestampToken, timestampRequest, signatureTimestampOf, sealCmsOf, sealTimestampOf, sealTimestampAuditDetails, tsaChainCheck, type TsaChainCheck, type TimestampCheck, type TimestampInfo } from './timestamp';
export { readTlv, children, raw, contentOf, oid, oidString, type Tlv } from './der';
export { certificatePathCheck, type CertificatePathCheck } from './certificate-path';
export { sealScan } from './seal-scan';
