/**
 * The certificate verifier in the browser: the very code of `tianfu verify-certificate`
 * (server/certificate/verify.ts), bundled as a chunk of its own that the financing page loads on demand.
 * It makes no network call: it checks a certificate file against the block hash and contract addresses
 * the user gives.
 */
export { verifyCertificateText, type VerifyResult, type TrustedContracts } from "../../server/certificate/verify";
export { describeFacts, type Facts } from "../../server/certificate/format";
