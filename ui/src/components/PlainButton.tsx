// A native <button> for the screens shown at start-up (top bar, worklist, first run). Those load
// before anything else, so they avoid react-aria's press and focus machinery (about 38 kB of
// script and its heap) that the lazily loaded screens use; the platform button already gives
// keyboard activation, focus and the disabled state. Same props as the react-aria Button we use.
import type { ReactNode } from "react";

export interface PlainButtonProps {
  children: ReactNode;
  onPress?: () => void;
  isDisabled?: boolean;
  className?: string;
  "aria-label"?: string;
  "data-testid"?: string;
  "data-action"?: string;
}

export function PlainButton({ children, onPress, isDisabled, className, ...rest }: PlainButtonProps) {
  return (
    <button type="button" className={className} disabled={isDisabled} onClick={onPress} {...rest}>
      {children}
    </button>
  );
}
