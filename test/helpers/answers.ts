/**
 * The exact bytes imbridge answers an IM server it lets go on: OpenIM's continue envelope and Tencent's
 * OK (docs/vendors/openim.md, docs/vendors/tencent.md). One copy for every test that expects them.
 */
export const OPENIM_CONTINUE = '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}';
export const TENCENT_OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';
