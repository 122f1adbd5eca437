"""Our own corpora for the name and post checks: an ordinary control set (Chinese and English personal names,
nicknames, shop and place names, posts with numbers, dates, prices, dots and the English words that hold
Latin terms) and evasion cases per class. Generated from the word lists below with fixed seeds, so every
run sees the same texts; no outside test set is copied here.
"""

from __future__ import annotations

import random
from functools import lru_cache

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏宇浩凯婷雪琳晨欣怡佳文博子涵梓轩诗雨思嘉鑫昊天泽瑞"
         "俊豪晓飞辉鸿宁颖倩蕾薇悦彤萱阳帆哲睿航铭")
PLACES = ("朝阳", "海淀", "西湖", "天河", "南山", "鼓楼", "雨花", "江北", "高新", "滨江", "中山", "解放", "人民",
          "青年", "和平", "东湖", "长江", "黄河", "金沙", "翠湖")
PLACE_SUFFIX = ("公园", "路", "小学", "中学", "医院", "图书馆", "体育馆", "菜市场", "社区", "花园", "广场", "大道",
                "商场", "地铁站", "书店")
SHOPS = ("烘焙坊", "家常菜馆", "数码维修", "花店", "宠物医院", "书屋", "咖啡", "健身工作室", "理发店", "文具店", "火锅",
         "面馆", "水果店", "奶茶", "眼镜店", "摄影工作室")
NICK_HEADS = ("快乐的", "安静的", "爱吃", "会飞的", "不睡觉的", "喜欢下雨的", "追风的", "晒太阳的", "迷路的", "早起的")
NICK_TAILS = ("小猫", "柠檬", "鲸鱼", "向日葵", "兔子", "星星", "蘑菇", "橘子", "企鹅宝宝", "小熊", "月亮", "番茄")
WHO = ("朋友", "同事", "家人", "爸妈", "室友", "同学", "老公", "女儿", "邻居")
FOOD = ("火锅", "烤鸭", "小笼包", "牛肉面", "麻辣烫", "煎饼", "饺子", "烧烤", "寿司", "披萨", "酸菜鱼", "奶茶")
FEELING = ("太好吃了", "有点辣", "性价比很高", "排队排了好久", "下次还来", "一般般", "超级满足", "服务很热情")
THINGS = ("一只橘猫", "日落", "彩虹", "樱花", "一场雨", "老朋友", "新开的书店", "很多人跑步")
EN_FIRST = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
            "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
            "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
            "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
            "Kenneth", "Dorothy", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Edward", "Deborah",
            "Dave", "Ava", "Cassandra", "Dick", "Titus", "Cassie", "Avery", "Savannah", "Gustavo", "Jessex")
EN_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
           "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
           "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
           "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Cockburn",
           "Dickens", "Hancock", "Essex", "Middlesex", "Cassidy", "Babcock", "Titmuss", "Shitole", "Glasscock")
EN_WORDS = ("have", "average", "avenue", "travel", "Java", "cocktail", "classic", "assistant", "analysis",
            "therapist", "Scunthorpe", "Sussex", "Essex", "Middlesex", "passage", "assess", "title", "petition",
            "cumulative", "document", "shiitake", "grape", "hancock", "peacock", "bass", "compass", "sextant",
            "Sextus", "Wessex", "pornography laws", "International Congress", "national congressman", "Dave",
            "gravy", "savvy", "lava", "raven", "caviar", "flavour", "harvest", "navigate", "classroom", "embassy")
EN_PLACES = ("London", "Paris", "the park", "the office", "Boston", "the lake", "Chicago", "the library", "Kyoto")
EN_FOOD = ("pizza", "ramen", "tacos", "salad", "burger", "pasta", "curry", "dumplings", "pancakes")
EN_ADJ = ("great", "amazing", "okay", "too salty", "perfect", "cold", "worth it", "so good")

# Terms the control set is measured against besides the built-in lexicon: Latin ones that sit inside
# ordinary English words, terms written with numbers, single and repeated characters.
LATIN_TERMS = ("av", "sex", "porn", "cock", "ass", "tit", "cum", "shit", "national congress", "xxx", "gay")
NUMBER_TERMS = ("六四", "8964", "九评", "3p", "一夜情", "五毛党", "51乱伦")
SHORT_TERMS = ("赌", "毒", "枪")
REPEAT_TERMS = ("嘿嘿嘿", "6666", "约约")


def _rng(seed: str) -> random.Random:
    return random.Random(seed)


@lru_cache(maxsize=1)
def ordinary_names() -> list[str]:
    """About 5,000 account names and nicknames: Chinese people, nicknames, shops and places; English
    people, handles and shops, with the words that hold Latin terms."""
    rng = _rng("names")
    found: list[str] = []
    found += [rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))) for _ in range(1500)]
    found += [rng.choice(NICK_HEADS) + rng.choice(NICK_TAILS) for _ in range(600)]
    found += [rng.choice(SURNAMES) + rng.choice(("记", "家", "氏", "小")) + rng.choice(SHOPS) for _ in range(500)]
    found += [p + s for p in PLACES for s in PLACE_SUFFIX]
    found += [f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}" for _ in range(900)]
    found += [f"{rng.choice(EN_FIRST).lower()}_{rng.choice(EN_LAST).lower()}{rng.randint(1, 99)}" for _ in range(300)]
    found += [f"{rng.choice(EN_WORDS).title()} {rng.choice(('Cafe', 'Studio', 'Club', 'Books', 'Lab'))}"
              for _ in range(400)]
    found += [f"{rng.choice(EN_FIRST)}的{rng.choice(SHOPS)}" for _ in range(200)]
    return list(dict.fromkeys(found))


def _zh_post(rng: random.Random) -> str:
    y, mo, d = rng.randint(2000, 2026), rng.randint(1, 12), rng.randint(1, 28)
    parts = [
        f"今天和{rng.choice(WHO)}去{rng.choice(PLACES)}{rng.choice(PLACE_SUFFIX)}吃了{rng.choice(FOOD)}，"
        f"{rng.choice(FEELING)}！",
        f"{y}年{mo}月{d}日 {rng.randint(6, 22)}点{rng.randint(10, 59)}分在{rng.choice(PLACES)}看到"
        f"{rng.choice(THINGS)}。",
        f"人均{rng.randint(20, 300)}元，{rng.choice(FOOD)}第{rng.randint(1, 9)}名，排在{rng.randint(2, 30)}楼。",
        f"快递单号{rng.randint(10**11, 10**12 - 1)}，预计{rng.randint(1, 5)}天到。",
        f"身高{rng.randint(150, 190)}cm，体重{rng.randint(40, 90)}kg，一个一个地来，三三两两。",
        f"{rng.choice('一二三四五六')}年级的{rng.choice(WHO)}说学习很重要，覆盖了{rng.randint(3, 9)}个知识点。",
        f"推荐{rng.choice(SURNAMES)}记{rng.choice(SHOPS)}，地址在{rng.choice(PLACES)}路{rng.randint(1, 300)}号。",
        f"微信支付和支付宝都可以，QQ音乐里有这首歌，{rng.choice(FEELING)}。",
        f"邮编{rng.randint(100000, 999999)}，版本{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}。",
    ]
    return "".join(rng.sample(parts, rng.randint(2, 4)))


def _en_post(rng: random.Random) -> str:
    parts = [
        f"Just got back from {rng.choice(EN_PLACES)}, the {rng.choice(EN_FOOD)} was {rng.choice(EN_ADJ)}!",
        f"Meeting at {rng.randint(1, 12)}:{rng.randint(10, 59)} in room {rng.randint(100, 999)}.",
        f"My {rng.choice(EN_WORDS)} and {rng.choice(EN_WORDS)} notes are on page {rng.randint(2, 300)}.",
        f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)} moved to {rng.choice(('Essex', 'Middlesex', 'Sussex'))}.",
        f"The International Congress of {rng.choice(('Mathematicians', 'Linguists', 'Surgeons'))} meets in "
        f"{rng.randint(2027, 2031)}.",
        f"{rng.randint(2, 20)} apples cost ${rng.randint(1, 9)}.{rng.randint(10, 99)}, e.g. at the store.",
        f"Version {rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 20)} released; see the docs at work.",
        f"Order #{rng.randint(10**9, 10**10 - 1)} shipped on {rng.randint(1, 12)}/{rng.randint(1, 28)}/2026.",
    ]
    return " ".join(rng.sample(parts, rng.randint(2, 4)))


@lru_cache(maxsize=1)
def ordinary_posts() -> list[str]:
    """3,000 ordinary posts, two thirds Chinese and one third English."""
    rng = _rng("posts")
    return [_zh_post(rng) if n % 3 else _en_post(rng) for n in range(3000)]


# Ordinary text that holds a contact cue's letters or words without asking anyone to move off the platform.
LOOKALIKE_WORDS = ("V领毛衣", "V领连衣裙", "V字手势", "比个V", "微博大V", "加V认证的博主", "vlog", "vivo手机",
                   "wxPython教程", "wxWidgets", "Ctrl+V粘贴", "Ctrl+C和Ctrl+V", "U+V的和", "微信支付", "微信聊天记录",
                   "在微信聊天", "微信联系人", "改了微信备注", "微信领取红包封面", "微信扫码点餐", "QQ音乐", "QQ空间",
                   "QQ邮箱", "QQ飞车",
                   "加QQ音乐会员", "加油", "加班", "参加比赛", "参加微信公开课", "更加努力", "更加微妙", "增加微量元素",
                   "附加费", "加微笑表情", "添加到购物车", "加个鸡蛋", "加一下辣椒", "企鹅宝宝", "南极企鹅", "看企鹅",
                   "Q版头像", "Q弹", "扣扣子", "球球比赛", "了解更多", "详聊细节", "私聊我吧", "v5", "VX系列相机")
LOOKALIKE_AROUND = ("今天", "这件", "我的", "朋友说", "周末", "刚买了", "我们", "")
LOOKALIKE_AFTER = ("，很好看", "真不错", "。", "！", "，下次再来", "", "，推荐")


@lru_cache(maxsize=1)
def contact_lookalikes() -> list[str]:
    """1,000 ordinary names and posts with a contact cue's letters or words and no invitation to move off the
    platform: V领, vlog, Ctrl+V, 微信支付, 微信聊天, QQ音乐, 加油, 参加, 更加, 企鹅宝宝, 加V认证…"""
    rng = _rng("lookalikes")
    found: dict[str, None] = {}
    while len(found) < 400:  # name-sized
        found[f"{rng.choice(LOOKALIKE_AROUND)}{rng.choice(LOOKALIKE_WORDS)}{rng.choice(LOOKALIKE_AFTER)}"] = None
    while len(found) < 1000:  # post-sized
        found[f"{rng.choice(LOOKALIKE_WORDS)}和{rng.choice(LOOKALIKE_WORDS)}，" + _zh_post(rng)] = None
    return list(found)
