export type { HtmlReportData, ReportStage } from './model';
export { renderHtmlReport, REPORT_CSP } from './render';
export { countEventsPerDay } from './timeline';
