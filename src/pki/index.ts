/**
 * The harness's tiny test PKI: certificates issued at run time with node-forge (never committed),
 * OCPP certificate hash data, trust and signature checks. Used by the runner (templates `pki.*`)
 * and by the reference station (installed certificates, signed firmware).
 */
export { issueCertificate, KEY_ALGORITHMS, TEST_PKI_ORGANIZATION, type CertificateRequest, type KeyAlgorithm, type KeyedCertificate, type KeyUsage } from './certificate-factory.js';
export { checkCsr, createCsr, createCsrInBackground, signCsr, type CertificateSigningRequest, type CsrCheck, type CsrExpectation, type CsrProblem, type CsrSubject } from './csr.js';
export { DEFAULT_OPERATOR, describeLabPki, initLabPki, issueLabCertificate, LabPkiError, type LabCertificateInfo, type LabFile, type LabPkiOptions } from './lab-pki.js';
export { certificateHashData, certificateLabel, hashDataNames, sameCertificate, type CertificateHashData, type HashAlgorithm } from './hash-data.js';
export { certificateProblem, rootCertificateProblem, signData, validityOf, verifySignature, type CertificateProblem, type SignatureScheme } from './verification.js';
export { INVALID_CERTIFICATE_VARIANTS, invalidServerCertificate, invalidStationCertificate, type InvalidCertificateVariant } from './invalid-certificates.js';
export { openTestPki } from './pki-directory.js';
export { certificateSummary, keyFitsCertificate, leafCertificatePem, sha256Fingerprint } from './certificate-identity.js';
export { certificateForCsr, csrAnswerProblem, CSR_CERTIFICATE_VARIANTS, UnsignableCsrError, type CsrCertificateVariant } from './csr-certificates.js';
export { TestPki, issuingKeyOf, TEST_CERTIFICATE_NAMES, CERTIFICATE_VIEW_FIELDS, type TestPkiOptions, PKI_SIGNATURE_NAMES, type TestCertificateName, type CertificateView, type ServerCertificateRoot } from './test-pki.js';
