// Renders CDS Hooks 2.0 cards the way an EHR would, and sends feedback for them.
// Everything from the service is inserted as text (textContent) except `detail`, which goes through
// the escaping markdown renderer.
import { renderMarkdown } from './markdown.js';

const INDICATOR_TEXT = { info: 'Info', warning: 'Warning', critical: 'Critical' };
const isHttpUrl = (url) => typeof url === 'string' && /^https?:\/\//i.test(url);

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

function safeLink(url, label) {
  return isHttpUrl(url)
    ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: label })
    : document.createTextNode(label);
}

/**
 * @param container - #cards
 * @param cards - response.cards
 * @param sendFeedback - async (items) => ({ status, text }) posting to the feedback endpoint
 * @param onAccept - optional (suggestion, card) => boolean: applies an accepted suggestion (true when applied)
 */
export function renderCards(container, cards, sendFeedback, onAccept) {
  container.replaceChildren();
  if (!Array.isArray(cards) || cards.length === 0) {
    container.append(
      h('p', {
        class: 'empty',
        'data-testid': 'no-cards',
        text: 'No cards: the service has nothing to say for this patient.',
      }),
    );
    return;
  }
  cards.forEach((card, index) => container.append(renderCard(card, index, sendFeedback, onAccept)));
}

function renderCard(card, index, sendFeedback, onAccept) {
  const indicator = INDICATOR_TEXT[card.indicator] ? card.indicator : 'info';
  const topic = card.source?.topic?.code ?? '';
  const titleId = `card-${index}-summary`;
  const article = h('article', {
    class: `card ${indicator}`,
    'data-topic': topic,
    'data-testid': 'card',
    'data-indicator': indicator,
    'aria-labelledby': titleId,
  });
  article.append(
    h(
      'div',
      { class: 'card-head' },
      h('span', { class: `indicator ${indicator}`, 'data-testid': 'card-indicator', text: INDICATOR_TEXT[indicator] }),
      h('h3', { id: titleId, 'data-testid': 'card-summary', text: card.summary ?? '' }),
    ),
  );
  if (card.source?.label) {
    article.append(h('p', { class: 'source' }, 'Source: ', safeLink(card.source.url, card.source.label)));
  }
  if (card.detail) {
    const detail = h('div', { class: 'detail', 'data-testid': 'card-detail' });
    detail.innerHTML = renderMarkdown(card.detail); // escaped first, see markdown.js
    article.append(detail);
  }
  const status = h('p', { class: 'feedback-status', role: 'status', 'aria-live': 'polite' });
  const report = async (items, doneText) => {
    status.textContent = 'Sending feedback…';
    try {
      const result = await sendFeedback(items);
      status.textContent =
        result.status >= 200 && result.status < 300
          ? `${doneText} (feedback HTTP ${result.status})`
          : `Feedback failed: HTTP ${result.status} ${result.text}`;
      return result.status >= 200 && result.status < 300;
    } catch (err) {
      status.textContent = `Feedback failed: ${err.message}`;
      return false;
    }
  };

  if (Array.isArray(card.suggestions) && card.suggestions.length > 0) {
    const actions = h('div', { class: 'card-actions', role: 'group', 'aria-label': 'Suggestions' });
    for (const s of card.suggestions) {
      const button = h('button', {
        type: 'button',
        'data-testid': 'suggestion',
        text: s.label + (s.isRecommended ? ' (recommended)' : ''),
      });
      button.addEventListener('click', async () => {
        button.disabled = true;
        const items =
          s.uuid && card.uuid
            ? [
                {
                  card: card.uuid,
                  outcome: 'accepted',
                  outcomeTimestamp: new Date().toISOString(),
                  acceptedSuggestions: [{ id: s.uuid }],
                },
              ]
            : [];
        const applied = onAccept?.(s, card) === true;
        const outcome = applied
          ? 'Suggestion accepted and applied to the draft order (the demo writes nothing to the FHIR server)'
          : 'Suggestion accepted. Demo EHR: nothing is written to the FHIR server';
        if (items.length === 0) {
          status.textContent = `${outcome} (no uuid, so no feedback sent).`;
          return;
        }
        if (applied) article.classList.add('accepted');
        await report(items, outcome);
      });
      actions.append(button);
    }
    article.append(actions);
  }

  if (Array.isArray(card.links) && card.links.length > 0) {
    const list = h('ul', { class: 'card-links', 'aria-label': 'Links' });
    for (const link of card.links) {
      const note = link.type === 'smart' ? ' (SMART app: an EHR would launch it)' : '';
      list.append(h('li', {}, safeLink(link.url, link.label), note ? document.createTextNode(note) : undefined));
    }
    article.append(list);
  }

  if (card.uuid) {
    const selectId = `card-${index}-override`;
    const reasons = Array.isArray(card.overrideReasons) ? card.overrideReasons : [];
    const select = h(
      'select',
      { id: selectId, 'data-testid': 'override-reason' },
      h('option', { value: '', text: reasons.length ? 'Choose a reason…' : 'No reason' }),
      ...reasons.map((r, k) => h('option', { value: String(k), text: r.display ?? r.code })),
    );
    const dismiss = h('button', { type: 'button', class: 'secondary', 'data-testid': 'dismiss', text: 'Dismiss card' });
    dismiss.addEventListener('click', async () => {
      const reason = select.value === '' ? undefined : reasons[Number(select.value)];
      const item = { card: card.uuid, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() };
      if (reason)
        item.overrideReason = {
          reason: { system: reason.system, code: reason.code, ...(reason.display ? { display: reason.display } : {}) },
        };
      dismiss.disabled = true;
      select.disabled = true;
      if (await report([item], `Dismissed${reason ? `: ${reason.display ?? reason.code}` : ''}`)) {
        article.classList.add('dismissed');
      } else {
        dismiss.disabled = false;
        select.disabled = false;
      }
    });
    article.append(
      h('div', { class: 'dismiss' }, h('label', { for: selectId, text: 'Dismiss reason' }), select, dismiss),
    );
  }
  article.append(status);
  return article;
}
