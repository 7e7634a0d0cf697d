"""Deterministic synthetic data for the five raw relations of docs/raw-contract.md.

Users are generated in fixed blocks of ``BLOCK_USERS``; block ``b`` draws from
``numpy.random.default_rng([seed, b])`` alone, so the output depends only on
``--seed`` and ``--users`` (never on memory or timing), the same seed gives
byte-identical files, and memory stays flat however many users are asked for.

Behaviour modelled: heavy-tailed activity, weekly and daily rhythm, anonymous
browsing before sign-up, several devices per user, a channel mix with utm tags
and referrers, search terms, a page_view → add_to_cart → checkout → purchase
funnel with drop-off, repeat buyers, cancellations, refunds, discounts,
reviews and NPS answers, referrals, churn and resurrection, anonymous-only
visitors, and Chinese cities with a realistic age / gender mix.

``--dirty RATE`` turns RATE of each relation's rows into bad rows, spread evenly
over the kinds of bad input that apply to that relation (see ``DIRTY_KINDS``);
what was injected is written to ``_manifest.json`` beside the data.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

BLOCK_USERS = 20_000
START = np.datetime64("2023-01-01T00:00:00", "s")
END = np.datetime64("2024-06-30T23:59:59", "s")
SPAN_DAYS = int((END - START) / np.timedelta64(1, "D")) + 1
DAY = 86_400

COLUMNS: dict[str, list[str]] = {
    "raw_users": [
        "user_id",
        "registered_at",
        "channel",
        "gender",
        "birth_date",
        "city",
        "email",
        "phone",
        "inviter_user_id",
    ],
    "raw_events": [
        "event_id",
        "event_time",
        "anonymous_id",
        "user_id",
        "event_type",
        "page_url",
        "referrer",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "device_type",
        "platform",
        "search_term",
        "product_id",
        "category",
    ],
    "raw_orders": [
        "order_id",
        "user_id",
        "ordered_at",
        "status",
        "amount",
        "discount_amount",
        "currency",
        "channel",
    ],
    "raw_order_items": ["order_id", "product_id", "category", "quantity", "unit_price"],
    "raw_feedback": ["feedback_id", "user_id", "submitted_at", "rating", "nps", "feedback_type"],
}

# Kinds of bad input per relation (docs/raw-contract.md). Each kind names the column it spoils.
DIRTY_KINDS: dict[str, list[str]] = {
    "raw_users": ["null_key", "duplicate_key", "exact_duplicate", "unparseable_timestamp", "future_timestamp"],
    "raw_events": [
        "null_key",
        "duplicate_key",
        "exact_duplicate",
        "unparseable_timestamp",
        "future_timestamp",
        "orphan_foreign_key",
        "unknown_event_type",
    ],
    "raw_orders": [
        "null_key",
        "duplicate_key",
        "exact_duplicate",
        "unparseable_timestamp",
        "future_timestamp",
        "negative_amount",
        "unknown_status",
        "orphan_foreign_key",
    ],
    "raw_order_items": ["null_key", "exact_duplicate", "negative_amount", "orphan_foreign_key"],
    "raw_feedback": [
        "null_key",
        "duplicate_key",
        "exact_duplicate",
        "unparseable_timestamp",
        "future_timestamp",
        "orphan_foreign_key",
        "out_of_range_rating",
    ],
}
KEY_COLUMN = {
    "raw_users": "user_id",
    "raw_events": "event_id",
    "raw_orders": "order_id",
    "raw_order_items": "order_id",
    "raw_feedback": "feedback_id",
}
TIME_COLUMN = {
    "raw_users": "registered_at",
    "raw_events": "event_time",
    "raw_orders": "ordered_at",
    "raw_feedback": "submitted_at",
}
PARENT = {  # relation -> (foreign key column, orphan value prefix)
    "raw_events": "user_id",
    "raw_orders": "user_id",
    "raw_order_items": "order_id",
    "raw_feedback": "user_id",
}

CITIES = np.array(
    [
        "上海",
        "北京",
        "广州",
        "深圳",
        "成都",
        "杭州",
        "重庆",
        "武汉",
        "西安",
        "南京",
        "天津",
        "苏州",
        "长沙",
        "郑州",
        "东莞",
        "青岛",
        "沈阳",
        "宁波",
        "昆明",
        "合肥",
    ]
)
CITY_P = np.array([12, 11, 8, 8, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 1], float)
SIGNUP_CHANNELS = np.array(
    ["organic_search", "paid_search", "social", "paid_social", "email", "referral", "direct", "app_store"]
)
SIGNUP_P = np.array([22, 18, 14, 10, 6, 10, 12, 8], float)
CATEGORIES = np.array(["服饰", "数码", "美妆", "食品", "家居", "母婴", "运动", "图书"])
CATEGORY_PRICE = np.array([180.0, 1200.0, 220.0, 60.0, 260.0, 150.0, 300.0, 45.0])
SEARCH_TERMS = np.array(
    [
        "连衣裙",
        "蓝牙耳机",
        "口红",
        "咖啡",
        "手机壳",
        "跑鞋",
        "面膜",
        "零食",
        "台灯",
        "奶粉",
        "iphone",
        "羽绒服",
        "机械键盘",
        "防晒霜",
        "瑜伽垫",
        "小说",
        "空气炸锅",
        "牛仔裤",
        "洗发水",
        "猫粮",
    ]
)
N_PRODUCTS = 2_000
# Product affinities, so that recommendations have something to find
# (docs/recommendations.md#the-demo-data): a person's product events and order
# lines fall in their favourite category at TASTE_SHARE; a visit's product
# events are about its focus product at FOCUS_SHARE (its purchase always); an
# order's further lines are the first line's companion at COMPANION_SHARE.
# Products 8k + c belong to category c; k is a Zipf rank, so a few products
# lead each category; 8k + c and its companion differ by one in k.
TASTE_SHARE = 0.7
FOCUS_SHARE = 0.6
COMPANION_SHARE = 0.5
# (utm_source, utm_medium, referrer) per session channel; "" means absent.
TRAFFIC = {
    "direct": [("", "", "")],
    "organic_search": [
        ("", "", "https://www.baidu.com/s?wd=x"),
        ("", "", "https://www.google.com/"),
        ("", "", "https://www.sogou.com/web"),
    ],
    "paid_search": [("baidu", "cpc", "https://www.baidu.com/s?wd=x"), ("google", "cpc", "https://www.google.com/")],
    "social": [
        ("", "", "https://weibo.com/"),
        ("", "", "https://www.xiaohongshu.com/"),
        ("", "", "https://www.douyin.com/"),
    ],
    "paid_social": [("douyin", "paid_social", "https://www.douyin.com/"), ("wechat", "paid_social", "")],
    "email": [("newsletter", "email", "")],
    "referral": [("", "", "https://www.zhihu.com/question/1"), ("", "", "https://www.smzdm.com/p/2")],
    "affiliate": [("cps_partner", "affiliate", "https://www.partner-shop.cn/")],
    "display": [("ad_network", "display", "https://news.qq.com/")],
}
SESSION_CHANNELS = np.array(list(TRAFFIC))
SESSION_CHANNEL_P = np.array([34, 20, 10, 10, 6, 5, 7, 4, 4], float)
CAMPAIGNS = np.array(["spring_sale", "618", "double11", "new_user", "always_on"])
HOUR_P = np.array([2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 6, 5, 5, 5, 6, 7, 8, 9, 9, 7, 4], float)
DOW_W = np.array([0.9, 0.9, 0.95, 0.95, 1.0, 1.15, 1.15])  # Monday first


@dataclass
class Block:
    """The rows of one block of users, column name -> numpy object array."""

    tables: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


def _p(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _fmt_ts(seconds: np.ndarray) -> np.ndarray:
    stamps = START + seconds.astype("timedelta64[s]")
    return np.char.add(np.datetime_as_string(stamps, unit="s"), "Z").astype(object)


def _ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    return np.char.add(prefix, numbers.astype(str)).astype(object)


def _none_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[mask] = None
    return out


def _time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    hours = rng.choice(24, size=n, p=_p(HOUR_P))
    return hours * 3600 + rng.integers(0, 3600, size=n)


def _weekly_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Day offsets uniform in [lo, hi), thinned by weekday so weekends are busier."""
    span = np.maximum(hi - lo, 1)
    day = lo + np.floor(rng.random(lo.size) * span).astype(np.int64)
    dow = (day + 6) % 7  # 2023-01-01 was a Sunday
    redraw = rng.random(lo.size) > DOW_W[dow] / DOW_W.max()
    day[redraw] = lo[redraw] + np.floor(rng.random(redraw.sum()) * span[redraw]).astype(np.int64)
    return day


def _users(rng: np.random.Generator, first_id: int, n: int) -> dict[str, np.ndarray]:
    uid = np.arange(first_id, first_id + n)
    # Growth: later days get more sign-ups.
    reg_day = np.floor(np.sqrt(rng.random(n)) * (SPAN_DAYS - 1)).astype(np.int64)
    reg_s = reg_day * DAY + _time_of_day(rng, n)
    age = np.clip(rng.normal(31, 9, n), 16, 72).astype(np.int64)
    birth_s = reg_s - age * 365 * DAY - rng.integers(0, 365, n) * DAY
    birth = np.datetime_as_string(START + birth_s.astype("timedelta64[s]"), unit="D").astype(object)
    gender = rng.choice(np.array(["F", "M", "unknown"]), size=n, p=[0.52, 0.44, 0.04]).astype(object)
    phone_prefix = rng.choice(np.array(["138", "139", "150", "186", "177", "135"]), size=n)
    phone = np.char.add(phone_prefix, np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8))
    domain = rng.choice(np.array(["qq.com", "163.com", "gmail.com", "126.com", "outlook.com"]), size=n)
    email = np.char.add(np.char.add(np.char.add("user", uid.astype(str)), "@"), domain)
    # Referrals: an earlier sign-up of the same block invited ~12 % of users.
    inviter_idx = rng.integers(0, n, n)
    invited = (rng.random(n) < 0.12) & (reg_s[inviter_idx] < reg_s)
    return {
        "user_id": uid.astype(str).astype(object),
        "registered_at": _fmt_ts(reg_s),
        "channel": rng.choice(SIGNUP_CHANNELS, size=n, p=_p(SIGNUP_P)).astype(object),
        "gender": gender,
        "birth_date": _none_where(birth, rng.random(n) < 0.15),
        "city": _none_where(rng.choice(CITIES, size=n, p=_p(CITY_P)), rng.random(n) < 0.05),
        "email": _none_where(email, rng.random(n) < 0.10),
        "phone": _none_where(phone, rng.random(n) < 0.20),
        "inviter_user_id": _none_where(uid[inviter_idx].astype(str), ~invited),
        "_reg_s": reg_s,
    }


def _sessions(rng: np.random.Generator, users: dict[str, np.ndarray], block: int) -> dict[str, np.ndarray]:
    """One row per visit: who, which device, when, from where, how far down the funnel."""
    n = users["user_id"].size
    reg_s = users["_reg_s"]
    reg_day = reg_s // DAY
    # Heavy tail: most users visit a few times, a few visit almost daily.
    visits = np.minimum(1 + np.floor(rng.lognormal(0.45, 1.25, n)), 400).astype(np.int64)
    life = np.ceil(rng.exponential(110, n)).astype(np.int64) + 1
    come_back = rng.random(n) < 0.12
    gap = rng.integers(75, 220, n)
    life2 = np.ceil(rng.exponential(50, n)).astype(np.int64) + 1
    buy_propensity = rng.beta(1.2, 6, n)
    search_propensity = rng.beta(1.5, 4, n)
    n_devices = 1 + (rng.random(n) < 0.30) + (rng.random(n) < 0.08)
    device_kind = rng.choice(4, size=(n, 3), p=[0.40, 0.22, 0.30, 0.08])  # ios, android, web, mini

    # Post-registration visits; a share of users also browsed anonymously before.
    user = np.repeat(np.arange(n), visits)
    in_second = come_back[user] & (rng.random(user.size) < 0.35)
    lo = np.where(in_second, reg_day[user] + life[user] + gap[user], reg_day[user])
    hi = np.where(in_second, lo + life2[user], reg_day[user] + life[user])
    day = _weekly_days(rng, lo, hi)
    start = day * DAY + _time_of_day(rng, user.size)
    first = np.r_[True, user[1:] != user[:-1]]
    start[first] = reg_s[user[first]]  # the sign-up visit itself
    device = np.floor(rng.random(user.size) * n_devices[user]).astype(np.int64)
    device[first] = 0
    logged_in = first | (rng.random(user.size) < 0.65)

    pre = rng.random(n) < 0.55
    pre_user = np.repeat(np.flatnonzero(pre), rng.integers(1, 4, pre.sum()))
    pre_start = reg_s[pre_user] - rng.integers(600, 14 * DAY, pre_user.size)

    # Visitors who never sign up: half as many devices as users in the block.
    n_anon = n // 2
    anon_start = rng.integers(0, SPAN_DAYS, n_anon) * DAY + _time_of_day(rng, n_anon)

    kind = np.concatenate([np.zeros(user.size, int), np.ones(pre_user.size, int), np.full(n_anon, 2)])
    owner = np.concatenate([user, pre_user, np.full(n_anon, -1)])
    starts = np.concatenate([start, pre_start, anon_start])
    keep = (starts >= 0) & (starts <= (END - START).astype(int))
    anon_ids = np.concatenate(
        [
            np.char.add(np.char.add(users["user_id"][user].astype(str), "-"), device.astype(str)),
            np.char.add(users["user_id"][pre_user].astype(str), "-0"),
            np.char.add(f"v{block}-", np.arange(n_anon).astype(str)),
        ]
    )
    dev = np.concatenate(
        [device_kind[user, device], device_kind[pre_user, 0], rng.choice(4, size=n_anon, p=[0.35, 0.25, 0.35, 0.05])]
    )
    signed = np.concatenate([logged_in, np.zeros(pre_user.size, bool), np.zeros(n_anon, bool)])
    owner_safe = np.maximum(owner, 0)
    buy = np.where(kind == 0, buy_propensity[owner_safe], 0.0)
    search = np.where(owner >= 0, search_propensity[owner_safe], 0.2)
    m = keep.sum()
    channel = rng.choice(SESSION_CHANNELS, size=m, p=_p(SESSION_CHANNEL_P))
    return {
        "owner": owner[keep],
        "start": starts[keep],
        "anonymous_id": anon_ids[keep].astype(object),
        "device_kind": dev[keep],
        "signed_in": signed[keep],
        "buy": buy[keep],
        "search": search[keep],
        "channel": channel,
        "first": np.r_[first, np.zeros(pre_user.size + n_anon, bool)][keep],
    }


def _products(taste: np.random.Generator, rank: np.ndarray, favourite: np.ndarray) -> np.ndarray:
    """Products of Zipf ranks `rank`, in the favourite category (-1: none) at TASTE_SHARE, else any."""
    n = rank.size
    own = (favourite >= 0) & (taste.random(n) < TASTE_SHARE)
    category = np.where(own, favourite, taste.integers(0, CATEGORIES.size, n))
    return np.minimum(rank, N_PRODUCTS // CATEGORIES.size - 2) * CATEGORIES.size + category


def _companion(product: np.ndarray) -> np.ndarray:
    """The product bought together with each: 8k + c pairs with 8(k ± 1) + c (k = 1 with 2, 3 with 4, ...)."""
    k = product // CATEGORIES.size
    return np.where(k % 2 == 1, product + CATEGORIES.size, product - CATEGORIES.size)


def _events(
    rng: np.random.Generator, taste: np.random.Generator, users: dict, sess: dict, block: int
) -> tuple[dict, dict]:
    """Events of every visit, plus the purchase events that become orders."""
    m = sess["start"].size
    p_cart = np.clip(sess["buy"] * 1.6, 0, 0.9)
    n_pv = 1 + rng.geometric(0.45, m) - 1
    n_search = np.where(rng.random(m) < sess["search"], 1 + (rng.random(m) < 0.3), 0)
    n_click = rng.binomial(2, 0.3, m)
    cart = rng.random(m) < p_cart
    checkout = cart & (rng.random(m) < 0.55)
    purchase = checkout & (rng.random(m) < 0.72)
    app = sess["device_kind"] < 2
    n_login = (sess["signed_in"] & (sess["first"] | (rng.random(m) < 0.3))).astype(int)
    share = (rng.random(m) < 0.03).astype(int)
    # Event kinds in funnel order; each session gets counts of each.
    kinds = ["app_open", "login", "page_view", "search", "click", "add_to_cart", "checkout", "purchase", "share"]
    counts = np.stack(
        [
            app.astype(int),
            n_login,
            n_pv,
            n_search,
            n_click,
            cart.astype(int),
            checkout.astype(int),
            purchase.astype(int),
            share,
        ],
        axis=1,
    )
    # A third of visits bounce: one page view and nothing else (never the sign-up visit).
    bounce = (rng.random(m) < 0.33) & ~sess["first"]
    counts[bounce] = [0, 0, 1, 0, 0, 0, 0, 0, 0]
    sess_of = np.repeat(np.repeat(np.arange(m), len(kinds)), counts.ravel())
    kind_of = np.repeat(np.tile(np.arange(len(kinds)), m), counts.ravel())
    e = sess_of.size
    gaps = np.ceil(rng.exponential(40, e)).astype(np.int64)
    first = np.r_[True, sess_of[1:] != sess_of[:-1]]
    gaps[first] = 0
    csum = np.cumsum(gaps)
    offset = csum - np.maximum.accumulate(np.where(first, csum, 0))
    t = sess["start"][sess_of] + offset
    kind_name = np.array(kinds)[kind_of]

    owner = sess["owner"][sess_of]
    uid = np.where(owner >= 0, users["user_id"][np.maximum(owner, 0)], None)
    after_login = sess["signed_in"][sess_of] & (kind_of >= 1)
    uid = np.where(after_login | (sess["signed_in"][sess_of] & (kind_of == 0)), uid, None)

    session_favourite = np.where(sess["owner"] >= 0, users["_favourite"][np.maximum(sess["owner"], 0)], -1)
    focus = _products(taste, taste.zipf(1.6, m), session_favourite)
    own_pick = _products(taste, rng.zipf(1.6, e), session_favourite[sess_of])
    on_focus = (kind_of == 7) | (taste.random(e) < FOCUS_SHARE)
    product = np.where(np.isin(kind_of, [4, 5, 6, 7]), np.where(on_focus, focus[sess_of], own_pick), 0)
    cat_idx = product % CATEGORIES.size
    is_product = product > 0
    page = np.select(
        [kind_name == "page_view", kind_name == "search", is_product],
        [
            np.where(rng.random(e) < 0.5, "/", np.char.add("/category/", cat_idx.astype(str))),
            "/search",
            np.char.add("/product/", product.astype(str)),
        ],
        "",
    )
    page = np.where(kind_name == "checkout", "/checkout", page)
    landing = first
    traffic_choice = rng.integers(0, 3, e)
    chan = sess["channel"][sess_of]
    src = np.full(e, "", dtype=object)
    med = np.full(e, "", dtype=object)
    ref = np.full(e, "", dtype=object)
    for name, options in TRAFFIC.items():
        sel = landing & (chan == name)
        pick = traffic_choice[sel] % len(options)
        src[sel] = np.array([o[0] for o in options], dtype=object)[pick]
        med[sel] = np.array([o[1] for o in options], dtype=object)[pick]
        ref[sel] = np.array([o[2] for o in options], dtype=object)[pick]
    campaign = np.where(med != "", CAMPAIGNS[rng.integers(0, CAMPAIGNS.size, e)], "")
    dk = sess["device_kind"][sess_of]
    device_type = np.select([dk == 2, (dk < 2) & (rng.random(e) < 0.06)], ["desktop", "tablet"], "mobile")
    platform = np.array(["ios", "android", "web", "miniprogram"])[dk]
    term = np.where(kind_name == "search", SEARCH_TERMS[rng.integers(0, SEARCH_TERMS.size, e)], "")

    blank = lambda a: _none_where(np.asarray(a, dtype=object), np.asarray(a) == "")  # noqa: E731
    events = {
        "event_time": t,
        "anonymous_id": sess["anonymous_id"][sess_of],
        "user_id": uid,
        "event_type": kind_name.astype(object),
        "page_url": blank(page),
        "referrer": blank(ref),
        "utm_source": blank(src),
        "utm_medium": blank(med),
        "utm_campaign": blank(campaign),
        "device_type": device_type.astype(object),
        "platform": platform.astype(object),
        "search_term": blank(term),
        "product_id": _none_where(product.astype(str), ~is_product),
        "category": _none_where(CATEGORIES[cat_idx], ~is_product),
    }
    buys = np.flatnonzero(kind_name == "purchase")
    purchases = {"owner": owner[buys], "time": t[buys], "platform": platform[buys], "product": product[buys]}
    return events, purchases


def _orders(
    rng: np.random.Generator, taste: np.random.Generator, users: dict, purchases: dict, block: int
) -> tuple[dict, dict, dict]:
    n = purchases["owner"].size
    order_no = (block + 1) * 10_000_000 + np.arange(n)
    order_id = order_no.astype(str).astype(object)
    lines = 1 + rng.binomial(3, 0.25, n)
    line_order = np.repeat(np.arange(n), lines)
    k = line_order.size
    own_pick = _products(taste, rng.zipf(1.5, k), users["_favourite"][purchases["owner"][line_order]])
    first_line = np.r_[True, line_order[1:] != line_order[:-1]]
    first_product = purchases["product"][line_order]
    companion = ~first_line & (taste.random(k) < COMPANION_SHARE)
    product = np.where(first_line, first_product, np.where(companion, _companion(first_product), own_pick))
    cat = product % CATEGORIES.size
    price = np.round(CATEGORY_PRICE[cat] * rng.lognormal(0, 0.5, k), 2)
    qty = 1 + rng.binomial(3, 0.12, k)
    gross = np.bincount(line_order, weights=price * qty, minlength=n)
    discounted = rng.random(n) < 0.3
    discount = np.where(discounted, np.round(gross * rng.uniform(0.05, 0.2, n), 2), 0.0)
    status = rng.choice(np.array(["paid", "completed", "cancelled", "refunded"]), size=n, p=[0.52, 0.33, 0.08, 0.07])
    owner = purchases["owner"]
    channel = np.where(
        purchases["platform"] == "web", "web", np.where(purchases["platform"] == "miniprogram", "miniprogram", "app")
    )
    orders = {
        "order_id": order_id,
        "user_id": users["user_id"][owner],
        "ordered_at": purchases["time"],
        "status": status.astype(object),
        "amount": np.char.mod("%.2f", gross - discount).astype(object),
        "discount_amount": _none_where(np.char.mod("%.2f", discount), ~discounted),
        "currency": np.full(n, "CNY", dtype=object),
        "channel": channel.astype(object),
    }
    items = {
        "order_id": order_id[line_order],
        "product_id": product.astype(str).astype(object),
        "category": CATEGORIES[cat].astype(object),
        "quantity": qty.astype(str).astype(object),
        "unit_price": np.char.mod("%.2f", price).astype(object),
    }
    # Reviews after a share of delivered orders, and NPS answers from some users.
    reviewed = (status != "cancelled") & (rng.random(n) < 0.22)
    r_time = purchases["time"][reviewed] + rng.integers(2, 12, reviewed.sum()) * DAY
    unhappy = status[reviewed] == "refunded"
    rating = (
        np.where(
            unhappy,
            rng.choice(5, reviewed.sum(), p=[0.4, 0.3, 0.15, 0.1, 0.05]),
            rng.choice(5, reviewed.sum(), p=[0.04, 0.05, 0.12, 0.34, 0.45]),
        )
        + 1
    )
    n_users = users["user_id"].size
    nps_user = np.flatnonzero(rng.random(n_users) < 0.08)
    nps_time = users["_reg_s"][nps_user] + rng.integers(7, 120, nps_user.size) * DAY
    nps = np.minimum(np.round(rng.beta(5, 1.8, nps_user.size) * 10.4), 10).astype(int)
    f_user = np.concatenate([users["user_id"][owner[reviewed]], users["user_id"][nps_user]])
    f_time = np.concatenate([r_time, nps_time])
    nf = f_user.size
    feedback = {
        "feedback_id": _ids(f"f{block}-", np.arange(nf)),
        "user_id": f_user.astype(object),
        "submitted_at": f_time,
        "rating": _none_where(
            np.r_[rating, np.zeros(nps_user.size, int)].astype(str),
            np.r_[np.zeros(rating.size, bool), np.ones(nps_user.size, bool)],
        ),
        "nps": _none_where(
            np.r_[np.zeros(rating.size, int), nps].astype(str),
            np.r_[np.ones(rating.size, bool), np.zeros(nps_user.size, bool)],
        ),
        "feedback_type": np.r_[np.full(rating.size, "review"), np.full(nps_user.size, "nps_survey")].astype(object),
    }
    return orders, items, feedback


def _finish_times(table: dict, column: str) -> dict:
    """Drop rows past the data horizon and format the time column as ISO-8601 text."""
    seconds = table[column]
    keep = seconds <= (END - START).astype(int)
    out = {k: v[keep] for k, v in table.items()}
    out[column] = _fmt_ts(seconds[keep])
    return out


def _sorted(table: dict, column: str) -> dict:
    order = np.argsort(table[column], kind="stable")
    return {k: v[order] for k, v in table.items()}


def _dirty(rng: np.random.Generator, relation: str, table: dict, rate: float, counts: dict[str, int]) -> dict:
    """Spoil round(rate × rows) rows, evenly over the relation's kinds of bad input."""
    n = table[next(iter(table))].size
    kinds = DIRTY_KINDS[relation]
    n_bad = int(round(rate * n))
    if n_bad == 0 or n < 2:
        return table
    rows = rng.choice(n, size=n_bad, replace=False)
    table = {k: v.copy() for k, v in table.items()}
    extra: list[int] = []
    key, fk = KEY_COLUMN[relation], PARENT.get(relation)
    ts = TIME_COLUMN.get(relation)
    for i, row in enumerate(rows):
        kind = kinds[i % len(kinds)]
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "null_key":
            table[key][row] = [None, "", "null", "undefined"][i % 4]
        elif kind == "duplicate_key":
            other = rows[(i + 1) % n_bad] if n_bad > 1 else (row + 1) % n
            table[key][row] = table[key][other if other != row else (row + 1) % n]
        elif kind == "exact_duplicate":
            extra.append(row)
        elif kind == "unparseable_timestamp":
            table[ts][row] = ["not a date", "2023-13-45T25:61:00Z", "yesterday"][i % 3]
        elif kind == "future_timestamp":
            table[ts][row] = "2099-01-01T00:00:00Z"
        elif kind == "negative_amount":
            col = "amount" if relation == "raw_orders" else "unit_price"
            table[col][row] = "-" + str(table[col][row]).lstrip("-")
        elif kind == "unknown_status":
            table["status"][row] = "lost_in_transit"
        elif kind == "orphan_foreign_key":
            table[fk][row] = f"ghost-{row}"
        elif kind == "unknown_event_type":
            table["event_type"][row] = "hover_banner"
        elif kind == "out_of_range_rating":
            table["rating"][row] = "7"
    if extra:
        idx = np.r_[np.arange(n), np.array(extra)]
        idx.sort(kind="stable")
        table = {k: v[idx] for k, v in table.items()}
    return table


def generate_block(
    seed: int, block: int, first_id: int, n_users: int, dirty: float, counts: dict[str, dict[str, int]]
) -> dict[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng([seed, block])
    # tastes draw from a stream of their own, so that every other column keeps its draws
    taste = np.random.default_rng([seed, block, 1])
    users = _users(rng, first_id, n_users)
    users["_favourite"] = taste.integers(0, CATEGORIES.size, n_users)
    sess = _sessions(rng, users, block)
    events, purchases = _events(rng, taste, users, sess, block)
    orders, items, feedback = _orders(rng, taste, users, purchases, block)
    events = _sorted(_finish_times(events, "event_time"), "event_time")
    events = {"event_id": _ids(f"e{block}-", np.arange(events["event_time"].size)), **events}
    tables = {
        "raw_users": {k: v for k, v in users.items() if not k.startswith("_")},
        "raw_events": events,
        "raw_orders": _finish_times(orders, "ordered_at"),
        "raw_order_items": items,
        "raw_feedback": _finish_times(feedback, "submitted_at"),
    }
    out = {}
    for relation, table in tables.items():
        if dirty > 0:
            table = _dirty(rng, relation, table, dirty, counts.setdefault(relation, {}))
        out[relation] = {c: table[c] for c in COLUMNS[relation]}
    return out


class Writer:
    """Streams blocks of one relation into one CSV or Parquet file."""

    def __init__(self, path: pathlib.Path, columns: list[str], fmt: str) -> None:
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.fmt = fmt
        self.rows = 0
        if fmt == "parquet":
            self._w = pq.ParquetWriter(path, self.schema, compression="zstd")
        else:
            self._w = pacsv.CSVWriter(path, self.schema)

    def write(self, table: dict[str, np.ndarray]) -> None:
        arrays = [pa.array(table[f.name], type=pa.string()) for f in self.schema]
        batch = pa.record_batch(arrays, schema=self.schema)
        self.rows += batch.num_rows
        self._w.write_table(pa.Table.from_batches([batch])) if self.fmt == "parquet" else self._w.write(batch)

    def close(self) -> None:
        self._w.close()


def generate(
    users: int, out: pathlib.Path, fmt: str = "csv", seed: int = 42, dirty: float = 0.0, progress: bool = False
) -> dict:
    """Write the five raw relations for ``users`` users; return the manifest.
    ``progress`` shows users written so far on stderr (tqdm)."""
    out.mkdir(parents=True, exist_ok=True)
    writers = {r: Writer(out / f"{r}.{fmt}", cols, fmt) for r, cols in COLUMNS.items()}
    counts: dict[str, dict[str, int]] = {}
    bar = tqdm(
        total=users,
        unit=" users",
        unit_scale=True,
        disable=not progress,
        file=sys.stderr,
        mininterval=2.0,
        desc=f"generating {out.name}",
    )
    try:
        for block, first in enumerate(range(0, users, BLOCK_USERS)):
            n = min(BLOCK_USERS, users - first)
            for relation, table in generate_block(seed, block, first + 1, n, dirty, counts).items():
                writers[relation].write(table)
            bar.update(n)
    finally:
        bar.close()
        for w in writers.values():
            w.close()
    manifest = {
        "seed": seed,
        "users": users,
        "format": fmt,
        "dirty_rate": dirty,
        "rows": {r: w.rows for r, w in writers.items()},
        "dirty": {r: dict(sorted(counts.get(r, {}).items())) for r in COLUMNS},
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=3_000, help="registered users (default 3000)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("data/raw"))
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--dirty", type=float, default=0.0, metavar="RATE", help="share of each relation's rows made bad (0 to 0.5)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    args = parser.parse_args(argv)
    if args.users < 1 or not 0 <= args.dirty <= 0.5:
        parser.error("--users must be ≥ 1 and --dirty between 0 and 0.5")
    t0 = time.perf_counter()
    manifest = generate(args.users, args.out, args.format, args.seed, args.dirty, progress=not args.quiet)
    print(f"{'relation':<16}{'rows':>12}{'dirty':>9}")
    for relation, rows in manifest["rows"].items():
        print(f"{relation:<16}{rows:>12,}{sum(manifest['dirty'][relation].values()):>9,}")
    print(f"wrote {args.out} ({args.format}) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
