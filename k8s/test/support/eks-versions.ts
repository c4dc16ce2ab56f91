/**
 * Amazon EKS's Kubernetes release calendar (end of standard support: 14 months after the
 * EKS release; extended support, at extra cost, for 12 more), from the "Amazon EKS
 * Kubernetes release calendar" table of the EKS User Guide
 * (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, source
 * awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc), read on
 * CHECKED_ON. Add each new version from that page when moving to it.
 */
export const CHECKED_ON = '2026-12-05';

export const EKS_CALENDAR: Record<string, { released: string; endOfStandardSupport: string }> = {
  '1.29': { released: '2024-01-23', endOfStandardSupport: '2025-03-23' },
  '1.30': { released: '2024-05-23', endOfStandardSupport: '2025-07-23' },
  '1.31': { released: '2024-09-26', endOfStandardSupport: '2025-11-26' },
  '1.32': { released: '2025-01-23', endOfStandardSupport: '2026-03-23' },
  '1.33': { released: '2025-05-29', endOfStandardSupport: '2026-07-29' },
  '1.34': { released: '2025-10-02', endOfStandardSupport: '2026-12-02' },
  '1.35': { released: '2026-01-27', endOfStandardSupport: '2027-03-27' },
};

const DAY_MS = 86_400_000;

/** Why `version` is not a version to run on `date` (empty when it is in standard support, with `marginDays` left). */
export function supportProblems(version: string, date: string, marginDays: number): string[] {
  const entry = EKS_CALENDAR[version];
  if (!entry) return [`Kubernetes ${version} is not in the recorded EKS calendar`];
  const on = Date.parse(date);
  if (on < Date.parse(entry.released))
    return [`Kubernetes ${version} is not on EKS yet on ${date}`];
  const left = (Date.parse(entry.endOfStandardSupport) - on) / DAY_MS;
  if (left <= 0)
    return [`Kubernetes ${version} left EKS standard support on ${entry.endOfStandardSupport}`];
  if (left < marginDays)
    return [
      `Kubernetes ${version} leaves EKS standard support on ${entry.endOfStandardSupport}, ${Math.round(left)} days after ${date}`,
    ];
  return [];
}
