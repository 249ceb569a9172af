import { Tooltip, type TooltipProps } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import {
  cloneElement,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactElement,
  type Ref,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';

interface TargetProps {
  ref?: Ref<HTMLElement>;
  onMouseEnter?: (event: MouseEvent<HTMLElement>) => void;
  onMouseLeave?: (event: MouseEvent<HTMLElement>) => void;
  onFocus?: (event: FocusEvent<HTMLElement>) => void;
  onBlur?: (event: FocusEvent<HTMLElement>) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
  'aria-describedby'?: string;
}

type HoverTooltipProps = Omit<TooltipProps, 'children' | 'defaultOpened' | 'opened' | 'target'> & {
  children: ReactElement<TargetProps>;
};

/**
 * Mantine's Tooltip, mounted only while it shows: when the pointer is over its element or the
 * keyboard's focus is on it. A mounted tooltip costs its element a portal and positioning state set
 * as the page first draws, which makes React draw the page twice: with a tooltip on every row (times,
 * budgets, row actions) and every navigation link, that was a fifth of a cold load, and most are
 * never hovered. The element itself is never redrawn for it, so a click or focus on it is not lost.
 */
export function HoverTooltip({ children, disabled, openDelay = 0, label, ...tooltip }: HoverTooltipProps) {
  const targetRef = useRef<HTMLElement>(null);
  const ref = useMergedRef(targetRef, children.props.ref);
  const [opened, setOpened] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const descriptionId = useId();
  useEffect(() => () => clearTimeout(pending.current), []);

  const show = (delay: number) => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => setOpened(true), delay);
  };
  const hide = () => {
    clearTimeout(pending.current);
    setOpened(false);
  };
  const shown = opened && !disabled;
  const { props } = children;
  return (
    <>
      {cloneElement(children, {
        ref,
        onMouseEnter: (event) => {
          props.onMouseEnter?.(event);
          show(openDelay);
        },
        onMouseLeave: (event) => {
          props.onMouseLeave?.(event);
          hide();
        },
        onFocus: (event) => {
          props.onFocus?.(event);
          show(0);
        },
        onBlur: (event) => {
          props.onBlur?.(event);
          hide();
        },
        onKeyDown: (event) => {
          props.onKeyDown?.(event);
          if (event.key === 'Escape') hide();
        },
        'aria-describedby': shown ? descriptionId : props['aria-describedby'],
      })}
      {shown && (
        <>
          <Tooltip {...tooltip} label={label} target={targetRef} opened />
          {/* What a screen reader reads as the element's description while the tooltip shows. */}
          <span id={descriptionId} hidden>
            {label}
          </span>
        </>
      )}
    </>
  );
}
