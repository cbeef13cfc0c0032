// Before decap-cms.js: the desk registers its format, widgets and preview first, then
// starts the CMS with the generated configuration (desk.mjs).
window.CMS_MANUAL_INIT = true;
