import {
  MANUAL_TRANSITIONS,
  STAFFED_STATES,
  checkTransition,
  type IncidentState,
  type TransitionIncidentCommand,
} from '@beacon/shared';
import type { MessageKey } from '../i18n/index.ts';

/** A step a dispatcher may take by hand (`incident:transition`). */
export type ManualTransition = TransitionIncidentCommand['to'];

/** One button of the console's lifecycle bar. */
export interface LifecycleAction {
  to: ManualTransition;
  label: MessageKey;
  /** The server refuses this step without a reason (REASON_REQUIRED). */
  reasonRequired: boolean;
  /** Ends or undoes work (cancel, take the unit off): drawn as a warning. */
  caution: boolean;
}

/**
 * The manual steps allowed from `state`, as the shared lifecycle rules them (`checkTransition`): a step is
 * offered when it is allowed with a reason, and asks for one when it is refused without. 研判 from a staffed
 * state takes the unit off the job, so it is offered as 改派 (reassign). 处置 (handling) is only offered from
 * on scene: the server refuses it from anywhere else.
 */
export function lifecycleActions(state: IncidentState): LifecycleAction[] {
  const staffed = (STAFFED_STATES as readonly IncidentState[]).includes(state);
  const actions: LifecycleAction[] = [];
  for (const to of MANUAL_TRANSITIONS) {
    if (!checkTransition(state, to, 'reason').ok) continue;
    if (to === 'handling' && state !== 'on_scene') continue;
    const withoutReason = checkTransition(state, to);
    const reassign = to === 'assessed' && staffed;
    actions.push({
      to,
      label: reassign ? 'action.reassign' : `action.${to}`,
      reasonRequired: !withoutReason.ok && withoutReason.code === 'REASON_REQUIRED',
      caution: to === 'cancelled' || reassign,
    });
  }
  return actions;
}
